// The Microsoft IPv6 extensions called from FindProxyForURL: isResolvableEx, isInNetEx (CIDR, IPv6), dnsResolveEx.
// (Where pacparser departs from the Microsoft definitions, PacDeviationTests says so.)
function b(x) { return x ? "1" : "0"; }
function FindProxyForURL(url, host) {
    var bits = b(isResolvableEx("localhost")) + b(isInNetEx("10.1.2.3", "10.0.0.0/8"))
        + b(isInNetEx("192.168.1.1", "10.0.0.0/8")) + b(isInNetEx("2001:db8::1", "2001:db8::/32"))
        + b(isInNetEx("2001:db9::1", "2001:db8::/32")) + b(isInNetEx("10.1.2.3", "10.1.2.0/24"));
    var r = dnsResolveEx(host);
    var kind = r == "" ? "none" : shExpMatch(r, "*:*") ? "v6" : "v4";
    if (isPlainHostName(host)) return "DIRECT";
    return "PROXY x" + bits + "-" + kind + ".example:3128; DIRECT";
}
