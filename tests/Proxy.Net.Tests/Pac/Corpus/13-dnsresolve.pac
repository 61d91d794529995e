function FindProxyForURL(url, host) {
  var ip = dnsResolve(host); if (ip == null) return 'PROXY none:1'; return 'PROXY r' + ip.split('.').join('-') + ':1';
}
