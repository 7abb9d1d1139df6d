# A date and time in running text: « 7 décembre 2026 à 14:40 ».
DATETIME_FORMAT = "j F Y à H:i"
