"""The row helper shared by every table: (Simplified Chinese, Cantonese, Minnan)."""


def T(zh_hans: str, yue: str, nan: str) -> dict[str, str]:  # noqa: N802 - reads as a table
    return {"zh_Hans": zh_hans, "yue": yue, "nan": nan}
