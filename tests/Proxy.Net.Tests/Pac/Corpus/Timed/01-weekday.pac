// weekdayRange: one day, ranges, a range that wraps over the weekend, GMT, wrong arguments.
function b(x) { return x ? "1" : "0"; }
function FindProxyForURL(url, host) {
    var bits = b(weekdayRange("MON")) + b(weekdayRange("SAT")) + b(weekdayRange("MON", "FRI"))
        + b(weekdayRange("THU", "SAT")) + b(weekdayRange("WED", "THU", "GMT")) + b(weekdayRange("TUE", "GMT"))
        + b(weekdayRange("SUN", "SUN")) + b(weekdayRange("THU", "FRI"));
    return "PROXY w" + bits + ".example:3128; DIRECT";
}
