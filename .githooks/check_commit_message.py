"""commit-msg hook: a subject of at most 72 characters, then a blank line and a body."""

import sys
from pathlib import Path


def problems(message: str) -> list[str]:
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    if not lines or not lines[0].strip():
        return ["The commit has no subject."]
    found = []
    if len(lines[0]) > 72:
        found.append(f"The subject has {len(lines[0])} characters; at most 72, please.")
    body = [line for line in lines[2:] if line.strip()]
    if len(lines) < 2 or lines[1].strip() or not body:
        found.append("After the subject: a blank line and a body that says why.")
    return found


if __name__ == "__main__":
    found = problems(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for problem in found:
        print(problem, file=sys.stderr)
    sys.exit(1 if found else 0)
