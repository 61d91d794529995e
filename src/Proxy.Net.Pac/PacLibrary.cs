namespace ProxyNet.Pac;

/// <summary>
/// The standard PAC helpers written in JavaScript, run in every engine before the script. The string helpers keep the
/// semantics browsers and pacparser share; the native ones (<c>dnsResolve</c>, <c>myIpAddress</c>, the <c>Ex</c>
/// variants, <c>alert</c>) are bound by <see cref="PacNatives"/>. Time helpers read <c>new Date()</c>, which follows
/// the injected clock.
/// </summary>
internal static class PacLibrary
{
    public const string Source = """
        function dnsDomainIs(host, domain) {
            host = String(host); domain = String(domain);
            return host.length >= domain.length && host.substring(host.length - domain.length) == domain;
        }
        function dnsDomainLevels(host) { return String(host).split('.').length - 1; }
        function isPlainHostName(host) { return String(host).indexOf('.') == -1; }
        function localHostOrDomainIs(host, hostdom) {
            host = String(host); hostdom = String(hostdom);
            return host == hostdom || hostdom.lastIndexOf(host + '.', 0) == 0;
        }
        function isResolvable(host) { return dnsResolve(host) != null; }
        function isResolvableEx(host) { var a = dnsResolveEx(host); return a != null && a != ''; }
        function convert_addr(ipchars) {
            var bytes = String(ipchars).split('.');
            return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        }
        function isInNet(ipaddr, pattern, maskstr) {
            var test = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(String(ipaddr));
            if (test == null) {
                ipaddr = dnsResolve(ipaddr);
                if (ipaddr == null) return false;
            } else if (test[1] > 255 || test[2] > 255 || test[3] > 255 || test[4] > 255) {
                return false;
            }
            var mask = convert_addr(maskstr);
            return (convert_addr(ipaddr) & mask) == (convert_addr(pattern) & mask);
        }
        var __pacDays = {SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6};
        var __pacMonths = {JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5, JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11};
        function __pacArgs(args) {
            var list = Array.prototype.slice.call(args);
            var gmt = list.length > 0 && list[list.length - 1] == 'GMT';
            if (gmt) list.pop();
            return {list: list, gmt: gmt, now: new Date()};
        }
        function __pacInRange(value, first, last) {
            // Ranges wrap around (FRI..MON, NOV..FEB, 22..6), as browsers read them.
            return first <= last ? first <= value && value <= last : value >= first || value <= last;
        }
        function weekdayRange() {
            var a = __pacArgs(arguments);
            if (a.list.length < 1 || a.list.length > 2) return false;
            var day = a.gmt ? a.now.getUTCDay() : a.now.getDay();
            var first = __pacDays[String(a.list[0]).toUpperCase()];
            var last = a.list.length == 2 ? __pacDays[String(a.list[1]).toUpperCase()] : first;
            if (first === undefined || last === undefined) return false;
            return __pacInRange(day, first, last);
        }
        function __pacDateField(value) {
            if (typeof value == 'string' && __pacMonths[value.toUpperCase()] !== undefined) return {kind: 'month', value: __pacMonths[value.toUpperCase()]};
            var n = parseInt(value, 10);
            if (isNaN(n)) return null;
            return n < 32 ? {kind: 'day', value: n} : {kind: 'year', value: n};
        }
        function __pacKey(fields, now) {
            // year * 10000 + month * 100 + day over the fields given: keys compare as dates do.
            var key = 0;
            for (var i = 0; i < fields.length; i++) {
                var f = fields[i];
                var v = now ? now[f.kind] : f.value;
                key += f.kind == 'year' ? v * 10000 : f.kind == 'month' ? v * 100 : v;
            }
            return key;
        }
        function dateRange() {
            var a = __pacArgs(arguments);
            var n = a.list.length;
            if (n != 1 && n != 2 && n != 4 && n != 6) return false;
            var fields = [];
            for (var i = 0; i < n; i++) {
                var f = __pacDateField(a.list[i]);
                if (f == null) return false;
                fields.push(f);
            }
            var today = {
                year: a.gmt ? a.now.getUTCFullYear() : a.now.getFullYear(),
                month: a.gmt ? a.now.getUTCMonth() : a.now.getMonth(),
                day: a.gmt ? a.now.getUTCDate() : a.now.getDate()
            };
            var half = n == 1 ? 1 : n / 2;
            var start = fields.slice(0, half), end = n == 1 ? start : fields.slice(half);
            for (var j = 0; j < start.length; j++) if (start[j].kind != end[j].kind) return false;
            var now = __pacKey(start, today);
            var first = __pacKey(start, null), last = __pacKey(end, null);
            if (start.length == 1 && start[0].kind != 'year') return __pacInRange(now, first, last);
            var hasYear = false;
            for (var k = 0; k < start.length; k++) if (start[k].kind == 'year') hasYear = true;
            return hasYear ? first <= now && now <= last : __pacInRange(now, first, last);
        }
        function timeRange() {
            var a = __pacArgs(arguments);
            var n = a.list.length;
            var d = a.now;
            var h = a.gmt ? d.getUTCHours() : d.getHours(), m = a.gmt ? d.getUTCMinutes() : d.getMinutes(), s = a.gmt ? d.getUTCSeconds() : d.getSeconds();
            var v = [];
            for (var i = 0; i < n; i++) { v.push(parseInt(a.list[i], 10)); if (isNaN(v[i])) return false; }
            var now = h * 3600 + m * 60 + s;
            if (n == 1) return h == v[0];
            if (n == 2) return __pacInRange(h, v[0], v[1]);
            if (n == 4) return __pacInRange(now, v[0] * 3600 + v[1] * 60, v[2] * 3600 + v[3] * 60 + 59);
            if (n == 6) return __pacInRange(now, v[0] * 3600 + v[1] * 60 + v[2], v[3] * 3600 + v[4] * 60 + v[5]);
            return false;
        }
        function getClientVersion() { return '1.0'; }
        """;
}
