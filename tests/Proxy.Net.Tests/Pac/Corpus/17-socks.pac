function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, '.corp.example')) return 'SOCKS s:1080'; return 'SOCKS5 s5:1080; SOCKS4 s4:1080; DIRECT';
}
