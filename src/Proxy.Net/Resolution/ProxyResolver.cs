using System.Text;

namespace ProxyNet.Resolution;

/// <summary>
/// Turns a request URL into a <see cref="ProxyDecision"/> following the environment variables and the
/// options. The configuration is compiled once; <see cref="Resolve(Uri)"/> only looks up and allocates nothing.
/// </summary>
/// <example>
/// <code>
/// var resolver = ProxyResolver.FromEnvironment();
/// ProxyDecision decision = resolver.Resolve(new Uri("https://example.com/"));
/// Console.WriteLine(decision); // PROXY http://proxy.corp:3128 (HTTPS_PROXY)
/// </code>
/// </example>
public sealed class ProxyResolver
{
    private readonly Func<ProxySettings> _settings;

    internal ProxyResolver(Func<ProxySettings> settings) => _settings = settings;

    /// <summary>A resolver over the process environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, …) as it is now.</summary>
    public static ProxyResolver FromEnvironment()
    {
        var settings = ProxySettings.FromEnvironment();
        return new ProxyResolver(() => settings);
    }

    /// <summary>A resolver over <paramref name="options"/>, filled from the environment where they allow it.</summary>
    public static ProxyResolver Create(ProxyNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = ProxySettings.Compile(options, Environment.GetEnvironmentVariable);
        return new ProxyResolver(() => settings);
    }

    /// <summary>
    /// A resolver over <paramref name="options"/> whose <see cref="ProxyNetOptions.PacUrl"/> script runs on
    /// <paramref name="pac"/> (the <c>Proxy.Net.Pac</c> package's <c>ProxyAutoConfig</c>).
    /// </summary>
    public static ProxyResolver Create(ProxyNetOptions options, IProxyAutoConfig pac)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pac);
        var settings = ProxySettings.Compile(options, Environment.GetEnvironmentVariable, pac, null);
        return new ProxyResolver(() => settings);
    }

    /// <summary>Problems found in the configuration that did not stop it, such as NO_PROXY entries that were ignored.</summary>
    public IReadOnlyList<string> Warnings => _settings().Warnings;

    internal ProxySettings Settings => _settings();

    /// <summary>Decides the route for <paramref name="uri"/>.</summary>
    public ProxyDecision Resolve(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return _settings().Resolve(uri);
    }

    /// <summary>Decides the route for a gRPC channel to <paramref name="uri"/>: <c>grpc_proxy</c>/<c>GRPC_PROXY</c> first.</summary>
    public ProxyDecision ResolveGrpc(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return _settings().Resolve(uri, grpc: true);
    }

    /// <summary>Explains, for a person, how the route for <paramref name="uri"/> was decided.</summary>
    public string Explain(Uri uri) => Explain(uri, grpc: false);

    /// <summary>Explains the route for <paramref name="uri"/>; with <paramref name="grpc"/>, as <see cref="ResolveGrpc"/> decides it.</summary>
    public string Explain(Uri uri, bool grpc)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var settings = _settings();
        var decision = settings.Resolve(uri, grpc);
        var text = new StringBuilder();
        text.AppendLine($"URL:       {Redaction.Url(uri)}");
        text.AppendLine(uri.Host.Length == 0 ? "Host:      none"
            : HostNames.TryGetIdnHost(uri, out string host) ? $"Host:      {host} (port {uri.Port})"
            : $"Host:      not a valid international (IDN) host name (port {uri.Port})");
        var scheme = ProxySettings.SchemeOf(uri);
        if (scheme is null)
        {
            text.AppendLine($"Scheme:    {uri.Scheme} is never proxied");
        }
        else
        {
            text.AppendLine($"Scheme:    {uri.Scheme} (uses the {scheme.Value.ToString().ToLowerInvariant()} proxy settings)");
            text.AppendLine("Looked at:");
            if (grpc)
            {
                foreach (string line in settings.Trails[(int)ProxyScheme.Grpc])
                {
                    text.AppendLine($"  {line}");
                }
            }

            foreach (string line in settings.Trails[(int)scheme.Value])
            {
                text.AppendLine($"  {line}");
            }
        }

        int count = settings.Bypass.Rules.Count;
        text.AppendLine($"Bypass:    {count} {settings.BypassSource} entr{(count == 1 ? "y" : "ies")}{(count == 0 ? string.Empty : ": " + string.Join(", ", settings.Bypass.Rules.Select(r => r.Entry).Take(20)))}{(count > 20 ? ", …" : string.Empty)}");
        foreach (string warning in settings.Warnings)
        {
            text.AppendLine($"Warning:   {warning}");
        }

        if (settings.Wpad is { Searched: { } searched })
        {
            text.AppendLine($"WPAD:      {searched}");
        }

        if (decision.IsPacAnswer && settings.Pac is { } pac && HostNames.TryGetIdnHost(uri, out string scriptHost))
        {
            text.AppendLine("Script:");
            foreach (string line in pac.Trace(uri, scriptHost))
            {
                text.AppendLine($"  {line}");
            }
        }

        text.Append("Decision:  ");
        text.AppendLine(decision.IsError
            ? $"ERROR: {decision.Error}"
            : decision.Proxy is null ? $"DIRECT, because {decision.Reason}" : $"PROXY {decision.Proxy}, from {decision.Reason}");
        return text.ToString();
    }
}
