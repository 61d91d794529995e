function FindProxyForURL(url, host) {
  if (url.substring(0, 5) == 'http:') return 'PROXY web:80'; if (url.substring(0, 6) == 'https:') return 'PROXY tls:443'; if (url.substring(0, 4) == 'ftp:') return 'PROXY ftp:21'; return 'DIRECT';
}
