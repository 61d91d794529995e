using Microsoft.Extensions.Configuration;
using ProxyNet.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Cli;

/// <summary>The flags of one command line that change the configuration (the rest of a command's flags are its own).</summary>
/// <remarks>
/// <see cref="ProxyUser"/> is <c>-U user:password</c> (or <c>-U :</c>, the current user's Kerberos/NTLM login) and
/// <see cref="ProxyInsecure"/> is <c>--proxy-insecure</c>: get and put only.
/// </remarks>
internal sealed record CliFlags(string? ConfigFile, string? Proxy = null, string? NoProxy = null, string? CaFile = null, string? ProxyCaFile = null, bool Insecure = false, string? Pac = null, string? ProxyUser = null, bool ProxyInsecure = false);

/// <summary>
/// The configuration proxynet runs with, by precedence: command-line flags, then <c>--config FILE</c> (a top-level
/// <c>Proxy</c> object), then <c>Proxy__*</c> environment variables, then the standard proxy variables. Each flag
/// replaces its own setting only: a proxy flag or setting never changes origin trust, and the reverse.
/// </summary>
internal sealed class CliConfiguration
{
    private const string OriginSwitch = "Tls:DangerousAcceptAnyServerCertificate";
    private const string ProxySwitch = "Tls:DangerousAcceptAnyProxyCertificate";

    private readonly ProxyNetBuilder _builder;

    private CliConfiguration(ProxyNetBuilder builder, ProxyNetOptions options, List<string> dangers)
    {
        _builder = builder;
        Options = options;
        Resolver = ResolverFor(options);
        Dangers = dangers;
    }

    public ProxyNetOptions Options { get; }

    /// <summary>The PAC engine, made on first use only: a run without a script never starts it.</summary>
    /// <remarks>
    /// A call may take 15 s here, not the library's 300 ms: the tool runs one script once, often on a loaded machine or
    /// a slow resolver, and the helpers' DNS lookups count against the call (each still gives up after DnsTimeout,
    /// 2 s, as "not resolvable"); runaway loops still end at the statement limit.
    /// </remarks>
    private static Lazy<ProxyNet.Pac.ProxyAutoConfig> Pac { get; } = new(() => new ProxyNet.Pac.ProxyAutoConfig(new ProxyNet.Pac.PacOptions { CallTimeout = TimeSpan.FromSeconds(15) }));

    public ProxyResolver Resolver { get; }

    /// <summary>
    /// The same routes without the TLS settings: broken trust material fails every request of <see cref="Resolver"/>,
    /// while doctor still wants to check the proxies it would use.
    /// </summary>
    public ProxyResolver RoutesOnly() => ResolverFor(_builder.Configure(o => o.Tls = new Tls.ProxyTlsOptions()).BuildOptions());

    /// <summary>The resolver for <paramref name="options"/>, with the PAC engine when a source may need it.</summary>
    private static ProxyResolver ResolverFor(ProxyNetOptions options) =>
        options.PacUrl is null && !options.AutoDetect && !options.UseSystemProxy
            ? ProxyResolver.Create(options)
            : ProxyResolver.Create(options, Pac.Value);

    /// <summary>One line per accept-any-certificate switch that is on, naming where it was set.</summary>
    public IReadOnlyList<string> Dangers { get; }

    public static CliConfiguration Load(CliFlags flags)
    {
        var builder = new ProxyNetBuilder();
        var layers = new List<(IConfiguration Section, string Name)>();
        bool dunder = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("Proxy__", StringComparison.OrdinalIgnoreCase));

        // Nothing but the proxy variables: skip the configuration stack (its start-up cost shows in a short run).
        if (dunder)
        {
            var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection("Proxy");
            builder.AddConfiguration(environment);
            layers.Add((environment, "environment"));
        }

        if (flags.ConfigFile is { } file)
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new UsageException($"--config: no such file '{file}'");
            }

            var section = FileSection(new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build(), file);
            builder.AddConfiguration(section);
            layers.Add((section, $"--config {file}"));
        }

        builder.Configure(o => Override(o, flags));
        var options = builder.BuildOptions();
        var dangers = new List<string>();
        if (options.Tls.DangerousAcceptAnyServerCertificate)
        {
            string source = flags.Insecure ? "--insecure" : SourceOf(layers, (OriginSwitch, "true"));
            dangers.Add($"{source}: server certificates are not checked");
        }

        if (options.Tls.DangerousAcceptAnyProxyCertificate)
        {
            string source = flags.ProxyInsecure ? "--proxy-insecure" : SourceOf(layers, (ProxySwitch, "true"), ("SslRejectUnauthorized", "false"));
            dangers.Add($"{source}: HTTPS proxy certificates are not checked");
        }

        return new CliConfiguration(builder, options, dangers);
    }

    /// <summary>
    /// The file's top-level <c>Proxy</c> object, else CARTO's <c>externalProxy</c> (operators copy it from their
    /// values file; its camelCase keys bind as they are). A file with neither is refused, naming what it has: read as
    /// nothing, it would leave the proxy to the environment without a word.
    /// </summary>
    private static IConfigurationSection FileSection(IConfigurationRoot root, string file)
    {
        foreach (string name in (string[])["Proxy", "externalProxy"])
        {
            var section = root.GetSection(name);
            if (section.Exists())
            {
                return section;
            }
        }

        string[] found = [.. root.GetChildren().Select(c => Terminal.Safe(c.Key)).Take(10)];
        throw new UsageException(found.Length == 0
            ? $"--config {file}: the file holds no settings; it needs a top-level \"Proxy\" object (or CARTO's \"externalProxy\")"
            : $"--config {file}: no top-level \"Proxy\" object (or CARTO's \"externalProxy\"); the file has {string.Join(", ", found.Select(k => $"\"{k}\""))}");
    }

    private static void Override(ProxyNetOptions options, CliFlags flags)
    {
        // --proxy and --pac are the user's latest word: each replaces every proxy source of the layers below. Explicit
        // options beat PacUrl in the library (semantics, section 7), so without clearing them a proxy from --config or
        // Proxy__* would silently beat --pac; a lower PacUrl is dropped under --proxy so that its errors and doctor's
        // script check do not stand in for the flag. Given both flags, --proxy wins, as explicit options do.
        if (flags.Proxy is { } proxy)
        {
            options.HttpProxy = options.HttpsProxy = options.FtpProxy = proxy;
            options.PacUrl = flags.Pac;
        }
        else if (flags.Pac is { } pac)
        {
            options.HttpProxy = options.HttpsProxy = options.FtpProxy = options.AllProxy = options.Host = options.Type = null;
            options.Port = null;
            options.PacUrl = pac;
        }

        if (flags.NoProxy is { } noProxy)
        {
            options.ExcludedDomains = [noProxy];
        }

        if (flags.CaFile is { } caFile)
        {
            options.Tls.OriginCaCertificates = [caFile];
        }

        if (flags.ProxyCaFile is { } proxyCaFile)
        {
            options.Tls.ProxyCaCertificates = [proxyCaFile];
        }

        if (flags.Insecure)
        {
            options.Tls.DangerousAcceptAnyServerCertificate = true;
        }

        if (flags.ProxyInsecure)
        {
            options.Tls.DangerousAcceptAnyProxyCertificate = true;
        }

        if (flags.ProxyUser is { } login)
        {
            // curl's -U: the proxy login for whichever proxy the route takes, over the user information of its URL.
            // "-U :" is curl's way to say "log in as me" (--proxy-negotiate -U :): the Kerberos ticket or NTLM logon.
            var (user, password) = ProxyUser(login);
            options.Username = user;
            options.Password = password;
            options.UseDefaultCredentials |= user is null;
        }
    }

    /// <summary><c>user:password</c> split at its first colon; <c>:</c> alone is (null, null), the current user's login.</summary>
    /// <exception cref="UsageException">No colon: curl would prompt for the password, proxynet does not (nor echo it).</exception>
    public static (string? User, string? Password) ProxyUser(string login)
    {
        if (login == ":")
        {
            return (null, null);
        }

        int colon = login.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new UsageException("-U/--proxy-user needs USER:PASSWORD (proxynet does not prompt for a password); '-U :' logs in as the current user (Kerberos/NTLM)");
        }

        return (login[..colon], login[(colon + 1)..]);
    }

    /// <summary>The layer of highest precedence that sets one of <paramref name="keys"/> to its value, named as the user wrote it.</summary>
    private static string SourceOf(List<(IConfiguration Section, string Name)> layers, params (string Key, string Value)[] keys)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            foreach (var (key, value) in keys)
            {
                if (string.Equals(layers[i].Section[key]?.Trim(), value, StringComparison.OrdinalIgnoreCase))
                {
                    return layers[i].Name == "environment"
                        ? $"environment variable Proxy__{key.Replace(":", "__", StringComparison.Ordinal)}={value}"
                        : $"{layers[i].Name} ({(layers[i].Section is IConfigurationSection { Path: { Length: > 0 } path } ? path : "Proxy")}:{key}: {value})";
                }
            }
        }

        return "the configuration";
    }
}
