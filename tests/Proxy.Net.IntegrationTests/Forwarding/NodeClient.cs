namespace ProxyNet.IntegrationTests.Forwarding;

/// <summary>
/// A Node 20 client as an env-configured agent does it: Node's global <c>fetch</c> ignores <c>http_proxy</c> and its
/// bundled undici (<c>EnvHttpProxyAgent</c>) is not importable by name, so the script reads <c>http_proxy</c>,
/// <c>https_proxy</c> and <c>no_proxy</c> itself, sends absolute-form requests for http and a CONNECT for https, and
/// trusts what <c>NODE_EXTRA_CA_CERTS</c> adds to Node's CA store. Prints the body; exits 1 on any failure.
/// </summary>
internal static class NodeClient
{
    public const string Script = """
        const http = require('http'), https = require('https'), tls = require('tls');
        const target = new URL(process.argv[1]);
        const secure = target.protocol === 'https:';
        const env = name => process.env[name] || process.env[name.toUpperCase()] || '';
        const bypass = env('no_proxy').split(',').map(s => s.trim()).filter(Boolean);
        const proxy = env(secure ? 'https_proxy' : 'http_proxy') && !bypass.includes(target.hostname) ? new URL(env(secure ? 'https_proxy' : 'http_proxy')) : null;
        const login = proxy && proxy.username ? { 'Proxy-Authorization': 'Basic ' + Buffer.from(decodeURIComponent(proxy.username) + ':' + decodeURIComponent(proxy.password)).toString('base64') } : {};
        const fail = e => { console.error(e.message); process.exit(1); };
        const print = res => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', c => body += c);
          res.on('end', () => res.statusCode === 200 ? process.stdout.write(body) : fail(new Error(`${res.statusCode} from ${target.href}`)));
        };
        if (!proxy) {
          (secure ? https : http).get(target, print).on('error', fail);
        } else if (!secure) {
          http.get({ host: proxy.hostname, port: proxy.port, path: target.href, headers: { Host: target.host, ...login } }, print).on('error', fail);
        } else {
          http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target.host, headers: { Host: target.host, ...login } })
            .on('connect', (res, socket) => {
              if (res.statusCode !== 200) fail(new Error(`CONNECT ${target.host}: ${res.statusCode}`));
              https.get(target, { createConnection: () => tls.connect({ socket, host: target.hostname }) }, print).on('error', fail);
            })
            .on('error', fail)
            .end();
        }
        """;
}
