"""The GONGSHI setting is checked once: a wrong key or value is refused with what is wrong, paths are taken from the
site's folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongshi.settings import DEFAULT_PAPER, SettingsError, from_dict


@pytest.mark.parametrize("raw, says", [
    ({"min_notic_days": 10}, "unknown GONGSHI setting(s): min_notic_days"),
    ({"min_notice_days": 0}, "min_notice_days must be a whole number"),
    ({"min_notice_days": True}, "min_notice_days must be a whole number"),
    ({"workers": "2"}, "workers must be a whole number"),
    ({"pdf": "yes"}, "pdf must be True or False"),
    ({"paper": {"before-start": "A5"}}, "paper must map notice kinds"),
    ({"paper": {"poster": "A4"}}, "paper must map notice kinds"),
    ({"province_key_fingerprint": "MD5:ab"}, "province_key_fingerprint must look like SHA256"),
    ({"today": "2026-13-01"}, "today must be a date like"),
    ({"today": 20261121}, "today must be a date"),
    ({"broadcast": {"crawl_speed": 7}}, "crawl_speed is in characters a second, from 1 to 6"),
    ({"broadcast": {"slide_seconds": 2}}, "slide_seconds must be a whole number from 5 to 120"),
    ({"broadcast": {"sms_signature": "【演示县】"}}, "sms_signature is the SMS platform's 签名"),
    ({"broadcast": {"speed": 4}}, "broadcast takes days_after"),
])
def test_a_wrong_setting_is_refused_with_what_is_wrong(raw, says):
    with pytest.raises(SettingsError) as refused:
        from_dict(raw)
    assert says in str(refused.value)


def test_paths_are_taken_from_the_sites_folder_and_values_kept(tmp_path):
    settings = from_dict({"data_path": "counties", "keys_path": "/srv/keys", "today": "2026-11-21",
                          "paper": {"before-start": "A4"}, "min_notice_days": 15, "search": False}, base=tmp_path)
    assert settings.data_path == tmp_path / "counties" and settings.keys_path == Path("/srv/keys")
    assert settings.history_path == tmp_path / "history"
    assert settings.today == dt.date(2026, 11, 21) and settings.current_date() == dt.date(2026, 11, 21)
    assert settings.paper == {**DEFAULT_PAPER, "before-start": "A4"} and settings.min_notice_days == 15
    assert settings.search is False and settings.pdf is True
