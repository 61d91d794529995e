function FindProxyForURL(url, host) {
  switch (host) { case 'a.example': return 'PROXY a:1'; case 'b.example': return 'PROXY b:2'; default: return 'PROXY other:3'; }
}
