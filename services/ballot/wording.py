"""What a voter's means of voting is called, per voting mode, in one place: a named branch hands out links
(个人测评链接), an unnamed one codes on slips (投票码). Every page and message that names it asks here."""

from models.voting import VotingMode

# The noun for one means of voting, and how a member reaches the ballot with it.
NOUN = {VotingMode.named: "链接", VotingMode.unnamed: "投票码"}
REACH = {
    VotingMode.named: "打开支部发给您的个人测评链接",
    VotingMode.unnamed: "扫描支部发给您的投票码纸条上的二维码（或在测评网址输入纸条上的投票码）",
}
OPEN_BUTTON = {VotingMode.named: "开启测评并生成链接", VotingMode.unnamed: "开启测评并生成投票码"}


def noun(mode: str | None) -> str:
    """链接 or 投票码; a link where the mode is not known (an unknown token, the paper form)."""
    return NOUN.get(mode, NOUN[VotingMode.named])


def reach(mode: str | None) -> str:
    return REACH.get(mode, REACH[VotingMode.named])


def refusal(state: str, mode: str | None = None) -> str:
    """Why a link or code cannot vote now, in the words of its own mode."""
    what = noun(mode)
    return {
        "invalid": "这个测评链接或投票码无法使用。可能是不完整或输错了，或者已经作废。请联系本支部书记领取新的。",
        "used": f"这个{what}的测评票已经提交，不能重复提交。感谢您的参与！",
        "paper": "您已登记为纸质投票，请在纸质测评表上填写。",
        "not_open": f"本支部的测评尚未开始，请在支部书记通知后再使用{what}。",
        "closed": "本支部的测评已经结束。",
        "paper_closed": (
            "本支部的测评已经结束。您登记为纸质投票，纸质测评票由党支部录入计票；纸质票没有回执码，无需核对。"
        ),
    }[state]
