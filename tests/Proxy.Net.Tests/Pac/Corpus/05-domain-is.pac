function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, '.corp.example') || dnsDomainIs(host, '.intra.example')) return 'DIRECT'; return 'PROXY p:8080';
}
