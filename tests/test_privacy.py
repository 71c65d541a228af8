"""Personal numbers are found however they are written; ordinary long numbers are not false alarms."""

from __future__ import annotations

import pytest

from gongshi.personal import find_private_numbers, mask_numbers

ID = "11010519491231002X"  # the check digit of this example number is X


@pytest.mark.parametrize("text, kind", [
    (f"身份证号{ID}", "id-number"),
    (f"身份证 {ID.lower()}", "id-number"),
    ("１１０１０５１９４９１２３１００２Ｘ", "id-number"),
    ("110105 19491231 002X", "id-number"),
    ("110105-19491231-002X", "id-number"),
    ("联系人电话13812345678", "mobile"),
    ("138 1234 5678", "mobile"),
    ("138-1234-5678", "mobile"),
    ("138–1234–5678", "mobile"),  # en dashes, as a Chinese input method types them
    ("110105－19491231—002X", "id-number"),
    ("+86 139 1234 5678", "mobile"),
    ("１３９１２３４５６７８", "mobile"),
    ("6222021234567890128", "bank-account"),
    ("卡号 6222 0212 3456 7890 128", "bank-account"),
    ("开户行：农业银行 账号 22-050101040012345", "bank-account"),
])
def test_found_however_written(text, kind):
    assert [k for k, _ in find_private_numbers(text)] == [kind]


@pytest.mark.parametrize("text", [
    "519901100201",                      # a 12-digit region code
    "演财农〔2025〕12号",                  # a document number
    "1250000.00",                        # an amount
    "0838-5201234",                      # an office landline
    "110105194912310021",                # 18 digits with a wrong check digit
    "110105199913310024",                # 18 digits whose date does not exist
    "XM2025-001、XM2025-002",            # project ids
    "2025年7月4日至2025年7月14日",
    "受益户数 13 户，人数 45 人，投资 1250000 元",
])
def test_ordinary_numbers_are_not_alarms(text):
    assert list(find_private_numbers(text)) == []


def test_mask_hides_every_digit_of_a_private_number():
    masked = mask_numbers(f"张三 {ID} 电话 138-1234-5678")
    assert "1949" not in masked and "5678" not in masked and masked.startswith("张三")
