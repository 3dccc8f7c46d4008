def safe_cell(value: str) -> str:
    """Neutralise text that a spreadsheet would run as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
