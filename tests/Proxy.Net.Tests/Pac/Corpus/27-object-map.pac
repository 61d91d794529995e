function FindProxyForURL(url, host) {
  var m = {'a.example': 'PROXY ma:1', 'b.example': 'DIRECT'}; return m.hasOwnProperty(host) ? m[host] : 'PROXY md:1';
}
