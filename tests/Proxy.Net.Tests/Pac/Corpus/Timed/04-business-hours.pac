// A real-world shape: office hours through the office proxy, nights and weekends through another, local hosts DIRECT.
function FindProxyForURL(url, host) {
    if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
    if (weekdayRange("MON", "FRI") && timeRange(8, 18)) return "PROXY office.example:8080; PROXY backup.example:8080";
    if (dateRange("DEC", 24, "DEC", 26)) return "PROXY holiday.example:3128";
    return "PROXY night.example:3128; DIRECT";
}
