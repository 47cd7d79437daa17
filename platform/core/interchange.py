"""Reading and checking JSON Lines files of the interchange format.

Every problem is reported as ``FILE:LINE: field: message`` so a person can
find and fix it; checking happens before anything is written.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

EXTERNAL_ID = re.compile(r"^[a-z0-9-]{3,64}$")


@dataclass(frozen=True)
class LineError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self):
        where = f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}"
            if self.field
            else (f"{where}: {self.message}")
        )


class Field:
    def __init__(
        self,
        kind,
        *,
        required=False,
        max_length=None,
        choices=None,
        item=None,
        fields=None,
    ):
        self.kind = kind
        self.required = required
        self.max_length = max_length
        self.choices = choices
        self.item = item  # Field for list items
        self.fields = fields  # dict of Field for objects

    def errors(self, name, value):
        if value is None:
            return [(name, "is required")] if self.required else []
        return self._check_type(name, value)

    def _check_type(self, name, value):
        check = getattr(self, f"_check_{self.kind}")
        return check(name, value)

    def _check_str(self, name, value):
        if not isinstance(value, str):
            return [(name, f"must be a string, not {type_name(value)}")]
        if self.required and not value.strip():
            return [(name, "must not be empty")]
        if self.max_length and len(value) > self.max_length:
            return [(name, f"is longer than {self.max_length} characters")]
        if self.choices and value not in self.choices:
            return [(name, f"must be one of {', '.join(self.choices)}, not {value!r}")]
        return []

    def _check_id(self, name, value):
        if not isinstance(value, str) or not EXTERNAL_ID.match(value):
            return [(name, f"must match [a-z0-9-]{{3,64}}, got {value!r}")]
        return []

    def _check_int(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            return [(name, f"must be an integer, not {type_name(value)}")]
        if value < 0:
            return [(name, "must not be negative")]
        return []

    def _check_number(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [(name, f"must be a number, not {type_name(value)}")]
        if value < 0 or value >= 10**10:
            return [(name, "must be between 0 and 10^10")]
        return []

    def _check_list(self, name, value):
        if not isinstance(value, list):
            return [(name, f"must be a list, not {type_name(value)}")]
        errors = []
        for index, item in enumerate(value):
            if item is None:
                errors.append((f"{name}[{index}]", "must not be null"))
            else:
                errors += self.item.errors(f"{name}[{index}]", item)
        return errors

    def _check_object(self, name, value):
        if not isinstance(value, dict):
            return [(name, f"must be an object, not {type_name(value)}")]
        return check_record(value, self.fields, prefix=f"{name}.")


def type_name(value):
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
    }.get(type(value), type(value).__name__)


def check_record(record, schema, prefix=""):
    errors = []
    for name, field in schema.items():
        errors += field.errors(prefix + name, record.get(name))
    for name in record:
        if name not in schema:
            errors.append((prefix + name, "is not a field of this format"))
    return errors


def read_records(path, schema):
    """Yield (line number, record or list of LineError) for each non-blank line.

    Ids must be unique within the file: a repeated id is an error on the later
    line that names the first.
    """
    path = Path(path)
    seen = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield number, [LineError(str(path), number, "", "is not valid UTF-8")]
                continue
            except json.JSONDecodeError as exc:
                message = f"invalid JSON: {exc.msg} (column {exc.colno})"
                yield number, [LineError(str(path), number, "", message)]
                continue
            if not isinstance(record, dict):
                message = f"must be a JSON object, not {type_name(record)}"
                yield number, [LineError(str(path), number, "", message)]
                continue
            errors = [
                LineError(str(path), number, f, m)
                for f, m in check_record(record, schema)
            ]
            record_id = record.get("id")
            if not errors and record_id in seen:
                errors.append(
                    LineError(
                        str(path),
                        number,
                        "id",
                        f"duplicate id {record_id!r} (first on line {seen[record_id]})",
                    )
                )
            if errors:
                yield number, errors
            else:
                seen[record_id] = number
                yield number, record


def split_records(path, schema):
    """(valid records, LineErrors) of a whole file."""
    records, errors = [], []
    for _line, result in read_records(path, schema):
        if isinstance(result, list):
            errors += result
        else:
            records.append(result)
    return records, errors
