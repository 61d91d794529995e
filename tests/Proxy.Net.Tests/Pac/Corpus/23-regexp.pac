function FindProxyForURL(url, host) {
  if (/^[0-9.]+$/.test(host)) return 'PROXY ip:1'; if (/(^|\.)cdn\./.test(host)) return 'DIRECT'; return 'PROXY name:1';
}
