function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, '.corp.example') || isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';
  if (shExpMatch(host, '*.s3.amazonaws.example')) return 'PROXY s3:3128; DIRECT';
  return 'PROXY main:3128; PROXY backup:3128';
}
