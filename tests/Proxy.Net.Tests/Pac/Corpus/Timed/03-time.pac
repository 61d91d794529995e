// timeRange: an hour, hour ranges, hour-minute and hour-minute-second ranges, GMT.
function b(x) { return x ? "1" : "0"; }
function FindProxyForURL(url, host) {
    var bits = b(timeRange(9)) + b(timeRange(12)) + b(timeRange(8, 17)) + b(timeRange(0, 6))
        + b(timeRange(9, 0, 9, 45)) + b(timeRange(9, 31, 10, 0)) + b(timeRange(9, 30, 0, 9, 30, 59))
        + b(timeRange(9, "GMT")) + b(timeRange(8, 10, "GMT")) + b(timeRange(23, 59));
    return "PROXY t" + bits + ".example:3128; DIRECT";
}
