function FindProxyForURL(url, host) {
  return 'HTTPS secure.corp:443; PROXY plain.corp:3128';
}
