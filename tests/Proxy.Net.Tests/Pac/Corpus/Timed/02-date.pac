// dateRange: a day, a month, a year, day and month ranges, month-year and day-month-year ranges, GMT.
function b(x) { return x ? "1" : "0"; }
function FindProxyForURL(url, host) {
    var bits = b(dateRange(1)) + b(dateRange(7)) + b(dateRange("DEC")) + b(dateRange("JUL"))
        + b(dateRange(2026)) + b(dateRange(1, 15)) + b(dateRange("JUN", "AUG")) + b(dateRange("JAN", "MAR"))
        + b(dateRange(2025, 2026)) + b(dateRange(1, "DEC", 31, "DEC")) + b(dateRange("DEC", 2026, "JAN", 2027))
        + b(dateRange(1, "JUL", 2026, 31, "DEC", 2026)) + b(dateRange(5, "GMT")) + b(dateRange("DEC", "GMT"));
    return "PROXY d" + bits + ".example:3128; DIRECT";
}
