"""The row-level report of an import: what was read, what is wrong where, what was stored."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_KEPT = 1000  # problems kept in full; the rest are only counted


@dataclass(frozen=True)
class Problem:
    """One problem in one row: ``row`` is the feature/line/row number a person can find."""

    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    """Everything the officer needs to decide: counts, errors and warnings by row."""

    dry_run: bool = True
    file_format: str = ""
    layer: str | None = None
    source_srid: int | None = None
    row_label: str = "row"
    rows_read: int = 0
    rows_valid: int = 0
    rows_imported: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    rows_with_errors: int = 0
    refused: str | None = None  # the whole file was refused, and why

    def error(self, row: int, field_name: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT:
            self.errors.append(Problem(row, field_name, message))

    def warning(self, row: int, field_name: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_KEPT:
            self.warnings.append(Problem(row, field_name, message))

    @property
    def ok(self) -> bool:
        return self.refused is None and self.error_count == 0

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "format": self.file_format,
            "layer": self.layer,
            "source_srid": self.source_srid,
            "row_label": self.row_label,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_imported": self.rows_imported,
            "refused": self.refused,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "errors": [p.__dict__ for p in self.errors],
            "warnings": [p.__dict__ for p in self.warnings],
        }

    def as_text(self, limit: int = 100) -> str:
        """A plain report for the terminal (management command), ``limit`` lines per kind."""
        if self.refused:
            return f"refused: {self.refused}"
        lines = [
            f"{self.rows_read} {self.row_label}s read, {self.rows_valid} valid, "
            f"{self.rows_with_errors} with errors, {self.rows_imported} imported"
            + (" (dry run: nothing stored)" if self.dry_run else "")
        ]
        for kind, items, total in (
            ("error", self.errors, self.error_count),
            ("warning", self.warnings, self.warning_count),
        ):
            for p in items[:limit]:
                lines.append(f"{kind}: {self.row_label} {p.row}: {p.field}: {p.message}")
            if total > min(len(items), limit):
                lines.append(f"... and {total - min(len(items), limit)} more {kind}s")
        return "\n".join(lines)
