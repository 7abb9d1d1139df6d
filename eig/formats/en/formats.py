# A date and time in running text: "7 December 2026 at 14:40" (day first, as in French).
DATETIME_FORMAT = r"j F Y \a\t H:i"
