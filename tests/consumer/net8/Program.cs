// Usage: app HTTPS_PROXY PROXY_CA_FILE OTHER_PROXY URL_GLOBAL URL_BYPASS URL_OTHER
// The global proxy is an https:// proxy whose certificate is signed by PROXY_CA_FILE, a CA trusted for that proxy
// only; one client uses it, one bypasses it, one uses OTHER_PROXY instead. Prints the runtime and each body.
using System.Reflection;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;

var services = new ServiceCollection();
services.AddProxyNet(o =>
{
    o.UseEnvironment = false;
    o.HttpProxy = o.HttpsProxy = args[0];
    o.Tls.ProxyCaCertificates.Add(args[1]);
});
services.AddHttpClient("global").AddProxySupport();
services.AddHttpClient("bypass").BypassGlobalProxy();
services.AddHttpClient("other").UseProxy(args[2]);
using var provider = services.BuildServiceProvider();
var clients = provider.GetRequiredService<IHttpClientFactory>();

string? build = typeof(ProxyNetOptions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
Console.WriteLine($"net8.0 app: .NET {Environment.Version}, Proxy.Net built for {build}");
Console.WriteLine($"global (AddProxySupport): {await clients.CreateClient("global").GetStringAsync(args[3])}");
Console.WriteLine($"bypass (BypassGlobalProxy): {await clients.CreateClient("bypass").GetStringAsync(args[4])}");
Console.WriteLine($"other (UseProxy): {await clients.CreateClient("other").GetStringAsync(args[5])}");
