function FindProxyForURL(url, host) {
  if (isInNet(myIpAddress(), '10.20.0.0', '255.255.0.0')) return 'PROXY office:3128'; return 'DIRECT';
}
