function FindProxyForURL(url, host) {
  if (localHostOrDomainIs(host, 'www.corp.example')) return 'DIRECT'; return 'PROXY p:1';
}
