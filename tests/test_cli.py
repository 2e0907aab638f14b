"""The command line end to end on the test database: manage.py's main() as the shell runs it (arguments, standard
input, what it prints, its exit code), in this process; backup and restore, which replace the database under the
running app, in a real process of their own, as does one plain command (the script's own entry point)."""

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from services.platform import db
from tests.conftest import ROOT
from tests.factories import FIXTURES

pytestmark = pytest.mark.usefixtures("database")


def manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """manage.py's main() in this process, with what it printed and its exit code as a process gives them (a
    process per call took longer than all the service tests together: each one imports the whole app)."""
    import manage as command_line

    out, err, typed = io.StringIO(), io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = command_line.main(list(args))
            except SystemExit as exit:  # argparse's --help and errors, or a command stopping with a message
                code = exit.code if isinstance(exit.code, int) or exit.code is None else 1
                if isinstance(exit.code, str):
                    print(exit.code, file=sys.stderr)
    finally:
        sys.stdin = typed
    return subprocess.CompletedProcess(["manage.py", *args], code or 0, out.getvalue(), err.getvalue())


def manage_process(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python manage.py …` in a process of its own."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=os.environ.copy(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        "init-db",
        "demo",
        "create-campaign",
        "set-status",
        "import-roster",
        "list-campaigns",
        "create-user",
        "reset-password",
        "seal-due",
        "results",
        "set-grades",
        "submit-grades",
        "approve-grades",
        "export",
        "report",
        "backup",
        "restore",
    ],
)
def test_every_command_has_help(command):
    result = manage(command, "--help")
    assert result.returncode == 0
    assert "usage: manage.py" in result.stdout


def test_init_db_succeeds_and_is_repeatable():
    assert manage_process("init-db").returncode == 0  # the script run as the shell runs it
    result = manage("init-db")
    assert result.returncode == 0
    assert "数据库已就绪" in result.stdout


def test_create_import_list_and_close_a_campaign():
    created = manage("create-campaign", "--title", "2020年度民主评议党员", "--year", "2020", "--deadline", "2021-03-20")
    assert created.returncode == 0, created.stderr
    cid = created.stdout.strip()
    assert cid.isdigit()

    imported = manage("import-roster", str(FIXTURES / "roster_title_rows.xlsx"), "--campaign", cid)
    assert imported.returncode == 0, imported.stderr
    assert "added=6 changed=0 removed=0" in imported.stdout
    assert "未使用的列：出生年月" in imported.stdout

    again = manage("import-roster", str(FIXTURES / "roster_title_rows.xlsx"), "--campaign", cid)
    assert "added=0 changed=0 removed=0" in again.stdout

    listed = manage("list-campaigns")
    assert listed.returncode == 0
    assert f"{cid}\t2020\tdraft\t3\t6\t4\t2\t2020年度民主评议党员" in listed.stdout

    for status, label in [("open", "进行中"), ("closed", "已结束"), ("archived", "已归档")]:
        moved = manage("set-status", "--campaign", cid, "--status", status)
        assert moved.returncode == 0, moved.stderr
        assert f"现在是“{label}”状态" in moved.stdout

    reopened = manage("set-status", "--campaign", cid, "--status", "open")
    assert reopened.returncode == 1
    assert "已归档的活动不能再更改" in reopened.stderr


def test_import_errors_are_printed_with_rows_and_exit_nonzero():
    cid = manage("create-campaign", "--title", "T", "--year", "2020", "--deadline", "2021-03-20").stdout.strip()
    result = manage("import-roster", str(FIXTURES / "roster_bad_rows.xlsx"), "--campaign", cid)
    assert result.returncode == 2
    assert "第 3 行，“姓名”列：姓名为空" in result.stderr
    assert "第 6 行，“党支部”列：党支部为空" in result.stderr
    assert "未写入任何数据" in result.stderr
    assert f"{cid}\t2020\tdraft\t0\t0" in manage("list-campaigns").stdout


def test_bad_arguments_get_clear_messages():
    bad_date = manage("create-campaign", "--title", "T", "--year", "2020", "--deadline", "2021/03/20")
    assert bad_date.returncode == 2
    assert "日期“2021/03/20”格式不对" in bad_date.stderr
    missing = manage("import-roster", "nope.xlsx", "--campaign", "1")
    assert missing.returncode == 1
    assert "找不到文件：nope.xlsx" in missing.stderr
    unknown = manage("set-status", "--campaign", "42", "--status", "open")
    assert unknown.returncode == 1
    assert "找不到编号为 42 的评议活动" in unknown.stderr


def test_demo_prints_what_it_made():
    result = manage("demo")
    assert result.returncode == 0, result.stderr
    assert "党支部 12 个" in result.stdout
    assert "进行中" in result.stdout
    again = manage("demo")
    assert again.returncode == 1
    assert "演示数据已经加载过了" in again.stderr


def test_create_user_reads_the_password_from_standard_input():
    result = manage("create-user", "zzb", "--role", "organizer", "--display-name", "张虹", stdin="abc1234567\n")
    assert result.returncode == 0, result.stderr
    assert "已创建账号“zzb”（组织部）" in result.stdout
    assert "abc1234567" not in result.stdout + result.stderr
    from services.staff import login_sessions

    assert login_sessions.authenticate(username="zzb", password="abc1234567").display_name == "张虹"


def test_create_user_for_a_branch_needs_an_existing_branch():
    assert manage("demo").returncode == 0
    ok = manage(
        "create-user", "zb1", "--role", "branch_secretary", "--org", "机关党总支/党政办公室党支部", stdin="abc1234567\n"
    )
    assert ok.returncode == 0, ok.stderr
    bad = manage("create-user", "zb2", "--role", "branch_secretary", "--org", "没有这个支部", stdin="abc1234567\n")
    assert bad.returncode == 1
    assert "花名册中没有名为“没有这个支部”的党支部" in bad.stderr
    weak = manage("create-user", "zb3", "--role", "organizer", stdin="123\n")
    assert weak.returncode == 1
    assert "密码至少 10 位" in weak.stderr


def test_reset_password_unlocks_an_organizer_locked_out():
    from services.staff import login_sessions

    manage("create-user", "zzb", "--role", "organizer", stdin="abc1234567\n")
    for _ in range(login_sessions.MAX_FAILURES):
        with pytest.raises(login_sessions.LoginRefused):
            login_sessions.authenticate(username="zzb", password="wrong1234")
    with pytest.raises(login_sessions.LoginRefused, match="锁定"):
        login_sessions.authenticate(username="zzb", password="abc1234567")
    result = manage("reset-password", "zzb", stdin="fresh2021ok\n")
    assert result.returncode == 0, result.stderr
    assert login_sessions.authenticate(username="zzb", password="fresh2021ok").username == "zzb"


def test_progress_prints_the_branches_and_as_json():
    import json

    assert manage("demo").returncode == 0
    assert manage("open-voting", "--campaign", "1", "--branch", "党政办公室党支部").returncode == 0
    text = manage("progress", "--campaign", "1")
    assert text.returncode == 0, text.stderr
    assert "机关党总支\t党政办公室党支部\t进行中\t24\t0\t0\t0.0\t-" in text.stdout
    assert "合计：12 个党支部，已收 0 / 应投 300（0.0%），未开启 11，进行中 1，已结束 0" in text.stdout
    document = json.loads(manage("progress", "--campaign", "1", "--json").stdout)
    assert document["total"] == {
        "label": "合计",
        "branches": 12,
        "eligible": 300,
        "received": 0,
        "not_open": 11,
        "open": 1,
        "closed": 0,
        "percent": 0.0,
    }
    assert document["branches"][0]["state"] == "open"
    assert [g["label"] for g in document["by_parent"]][-1] == "（直属党支部）"


def test_links_need_an_address_and_can_be_exported_again_without_voiding(tmp_path, monkeypatch):
    import csv

    monkeypatch.delenv("BASE_URL", raising=False)
    assert manage("demo").returncode == 0
    assert manage("open-voting", "--campaign", "1", "--branch", "党政办公室党支部").returncode == 0
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    refused = manage("issue-links", "--campaign", "1", "--branch", "党政办公室党支部", "--out", str(first))
    assert refused.returncode == 1
    assert "请用 --base-url 指定党员手机能打开的地址" in refused.stderr
    local = manage(
        "issue-links", "--campaign", "1", "--branch", "党政办公室党支部", "--base-url", "http://127.0.0.1:8501",
        "--out", str(first),
    )  # fmt: skip
    assert local.returncode == 0 and "是本机地址" in local.stderr  # named explicitly: allowed, but warned
    exported = manage(
        "export-links", "--campaign", "1", "--branch", "党政办公室党支部", "--base-url", "http://127.0.0.1:8501",
        "--out", str(again),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "没有作废任何链接" in exported.stdout
    rows = lambda path: list(csv.reader(path.open(encoding="utf-8-sig")))  # noqa: E731
    assert rows(again) == rows(first) and len(rows(first)) == 25
    assert {f.stat().st_mode & 0o777 for f in (first, again)} == {0o600}  # links let their holders vote


def test_backup_and_restore_round_trip(tmp_path):
    from services.campaign import campaigns
    from tests.factories import ORG, make_campaign

    make_campaign()
    saved = manage_process("backup", "--out", str(tmp_path / "pingyi.backup"))
    assert saved.returncode == 0 and "测评密钥和登录密钥不在备份中" in saved.stdout, saved.stderr
    campaigns.delete_campaign(actor=ORG, campaign_id=1)
    refused = manage_process("restore", str(tmp_path / "missing.backup"))
    assert refused.returncode == 1 and "找不到备份文件" in refused.stderr
    db.dispose_all()  # a restore waits for every other connection to be gone, as for a stopped app
    restored = manage_process("restore", str(tmp_path / "pingyi.backup"))
    assert restored.returncode == 0, restored.stderr
    assert [c.title for c in campaigns.list_campaigns(actor=ORG)] == ["2020年度基层党组织组织生活会和民主评议党员"]


def test_restore_says_what_the_backup_holds_and_refuses_a_damaged_one(tmp_path):
    from alembic.script import ScriptDirectory

    from tests.factories import make_campaign

    make_campaign()
    db.dispose_all()
    assert manage_process("backup", "--out", str(tmp_path / "b.backup")).returncode == 0
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    asked = manage_process("restore", str(tmp_path / "b.backup"))
    assert asked.returncode == 1
    assert f"数据库结构版本 {head}，评议活动 1 个" in asked.stdout and "请加 --replace" in asked.stderr
    data = bytearray((tmp_path / "b.backup").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = bytes(range(256)) * 16
    (tmp_path / "damaged.backup").write_bytes(bytes(data))
    damaged = manage_process("restore", str(tmp_path / "damaged.backup"), "--replace")
    assert damaged.returncode == 1 and "Traceback" not in damaged.stderr
    assert "已损坏" in damaged.stderr and "当前数据库没有改动" in damaged.stderr
