function FindProxyForURL(url, host) {
  return 'proxy Lower.Corp:1;  Direct ';
}
