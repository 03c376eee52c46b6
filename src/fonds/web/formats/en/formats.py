"""English dates as historians and the editions write them: "December 14, 1959" (Django's English
default abbreviates the month: "Dec. 14, 1959")."""

DATE_FORMAT = "F j, Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "F j, Y, H:i"
