// A real-world shape: a Sunday maintenance window in GMT, a data-centre move dated by year, a lunch-time rule.
function FindProxyForURL(url, host) {
    if (weekdayRange("SUN", "GMT") && timeRange(2, 4, "GMT")) return "PROXY standby.example:3128";
    if (dateRange(1, "JAN", 2027, 31, "DEC", 2027)) return "PROXY new-dc.example:3128; PROXY old-dc.example:3128";
    if (timeRange(12, 0, 13, 59) && !weekdayRange("SAT", "GMT")) return "PROXY lunch.example:3128; DIRECT";
    return "PROXY old-dc.example:3128";
}
