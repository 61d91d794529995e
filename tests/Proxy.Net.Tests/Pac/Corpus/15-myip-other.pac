function FindProxyForURL(url, host) {
  if (isInNet(myIpAddress(), '192.168.0.0', '255.255.0.0')) return 'PROXY home:3128'; return 'PROXY away:3128';
}
