"""The last line of defence for personal information on paper (居民身份证法 Art. 13, GB/T 35273).

The records that reach the printers are already masked; these catch the field that was not,
so a full ID number never reaches a ticket or an A4 document.

Two strengths, because application numbers (hall code + date + sequence) are 18 digits too:
- on a ticket nothing legitimate is 18 digits long, so anything shaped like an ID is masked;
- on documents only numbers that pass the GB 11643 check are masked in free text, and ID
  fields are masked whatever they hold, so an application number is never starred out.
"""

from __future__ import annotations

import re

from kiosk.idnumber import is_valid, mask_id

#: Anything shaped like a resident ID number (18 characters, the last may be X).
ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_id_shapes(text: str) -> str:
    """Mask every 18-character ID-shaped number (tickets): 330106********1234."""
    return ID_SHAPE.sub(lambda m: mask_id(m.group(0)), text)


def mask_valid_ids(text: str) -> str:
    """Mask only numbers that are valid ID numbers (free text on documents)."""
    return ID_SHAPE.sub(lambda m: mask_id(m.group(0)) if is_valid(m.group(0)) else m.group(0), text)


def id_field(value: str) -> str:
    """An ID-number field as printed: kept if already masked, masked if it is not."""
    value = value.strip()
    if not value or "*" in value:
        return value or "—"
    return mask_id(value)
