"""The ballot key: shared by every process of one installation, kept outside the database, and a
missing or different key said plainly, with nothing deleted."""

import os
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text

from models import Campaign
from services.ballot import ballot_form, casting, counting, encryption, sealing
from services.ballot.encryption import BallotContent
from services.platform.clock import now
from services.platform.config import ConfigError, ballot_key
from services.platform.db import session_scope
from services.progress import overview
from tests.conftest import ROOT
from tests.factories import ORG, all_qualified, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")

_CAST_IN_ANOTHER_PROCESS = """
import sys
from services.ballot import ballot_form, casting
for token in sys.argv[1:]:
    form = casting.open_ballot(token)
    casting.cast_ballot(token, ballot_form.FilledBallot({m: "excellent" if i == 0 else "qualified"
                                                          for i, (m, _) in enumerate(form.rated)}))
print("cast", len(sys.argv) - 1)
"""


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _encrypted_count() -> int:
    with session_scope() as session:
        return session.exec(text("SELECT count(*) FROM encrypted_ballot")).one()[0]


def _past_deadline(cid: int) -> None:
    with session_scope() as session:
        session.get(Campaign, cid).deadline = now().date() - timedelta(days=1)


def test_two_processes_sharing_one_ballot_key_count_each_others_ballots():
    cid, path, links = make_voting_branch(full=4)
    other = _run(["-c", _CAST_IN_ANOTHER_PROCESS, *(link.token for link in links[:3])])
    assert other.returncode == 0, other.stderr
    casting.cast_ballot(links[3].token, all_qualified(links[3].token))  # and one here
    assert _encrypted_count() == 4

    _past_deadline(cid)
    sealed = _run(["manage.py", "seal-due"])  # a third process: the cron job
    assert sealed.returncode == 0, sealed.stderr
    assert "已封存 1 个" in sealed.stdout
    tally = counting.tally(actor=ORG, campaign_id=cid, branch_path=path)
    assert tally.online == 4
    assert tally.rows[0][2]["excellent"] == 3


def test_a_server_with_another_ballot_key_names_the_branch_and_deletes_nothing(monkeypatch):
    cid, path, links = make_voting_branch(full=4)
    for link in links[:3]:
        casting.cast_ballot(link.token, all_qualified(link.token))
    _past_deadline(cid)
    wrong = "w" * 48

    refused = _run(["manage.py", "seal-due"], BALLOT_KEY=wrong)
    assert refused.returncode == 1
    assert f"党支部“{path}”的测评票无法解密" in refused.stderr
    assert "没有删除" in refused.stderr
    assert _encrypted_count() == 3  # all still there

    with monkeypatch.context() as patch:
        patch.setenv("BALLOT_KEY", wrong)
        (row,) = overview.campaign_progress(actor=ORG, campaign_id=cid).branches
        assert row.seal == "key"
        assert casting.open_ballot(links[0].token).state == "used"  # the voter's page still works: it voted

    assert _run(["manage.py", "seal-due"]).returncode == 0  # the right key found again
    assert _encrypted_count() == 0
    assert counting.tally(actor=ORG, campaign_id=cid, branch_path=path).online == 3


def test_a_ballot_refused_for_a_wrong_key_leaves_the_link_usable(monkeypatch):
    _, _, links = make_voting_branch(full=3)
    filled = all_qualified(links[0].token)
    with monkeypatch.context() as patch, pytest.raises(ballot_form.BallotRefused, match="测评密钥与开启测评时不一致"):
        patch.setenv("BALLOT_KEY", "w" * 48)
        casting.cast_ballot(links[0].token, filled)
    assert casting.open_ballot(links[0].token).state == "open"
    casting.cast_ballot(links[0].token, filled)


def test_the_ballot_key_is_generated_once_into_a_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("BALLOT_KEY")
    path = tmp_path / "keys" / "ballot_key"
    monkeypatch.setenv("BALLOT_KEY_FILE", str(path))
    first = ballot_key()
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ballot_key() == first


def test_a_placeholder_ballot_key_is_refused(monkeypatch):
    monkeypatch.setenv("BALLOT_KEY", "changeme")
    with pytest.raises(ConfigError, match="测评密钥"):
        ballot_key()


def test_every_ciphertext_of_a_branch_has_the_same_length_whatever_it_says():
    members = [101, 102, 1003]
    size = encryption.content_size(members)
    data_key = encryption.unwrap(encryption.new_wrapped_key(7), 7)
    contents = [
        BallotContent("paper", tuple((m, "qualified") for m in members)),
        BallotContent("online", tuple((m, "basically_qualified") for m in members), "basically_satisfied", "满意", ""),
        BallotContent("online", tuple((m, "excellent") for m in members), None, None, "𠀀" * 500),  # 4-byte chars
        BallotContent("online", tuple((m, "unqualified") for m in members), opinion='"\\\n' * 166),
    ]
    stored = [encryption.encrypt(data_key, 7, c, size) for c in contents]
    assert len({len(s) for s in stored}) == 1
    assert [encryption.decrypt(data_key, 7, s) for s in stored] == contents


def test_a_ciphertext_moved_to_another_branch_does_not_decrypt():
    from cryptography.exceptions import InvalidTag

    data_key = encryption.unwrap(encryption.new_wrapped_key(1), 1)
    stored = encryption.encrypt(data_key, 1, BallotContent("online", ((5, "qualified"),)), 500)
    with pytest.raises(InvalidTag):
        encryption.decrypt(data_key, 2, stored)
    with pytest.raises(encryption.WrongBallotKey):
        encryption.unwrap(encryption.new_wrapped_key(1), 2)


def test_sealing_with_nothing_to_decrypt_needs_no_key(monkeypatch):
    cid, _, _ = make_voting_branch(full=3)
    monkeypatch.setenv("BALLOT_KEY", "w" * 48)  # nobody voted: the key is not needed, only destroyed
    _past_deadline(cid)
    assert sealing.seal_due().complete
