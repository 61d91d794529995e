function FindProxyForURL(url, host) {
  if (shExpMatch(url, 'http://*/downloads/*')) return 'PROXY dl:1'; if (shExpMatch(url, '*.zip')) return 'PROXY zip:2'; if (shExpMatch(url, 'https://*')) return 'PROXY tls:3'; return 'DIRECT';
}
