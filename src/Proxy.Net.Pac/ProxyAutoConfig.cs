using System.Collections.Concurrent;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProxyNet.Pac;

/// <summary>
/// Runs PAC scripts with Jint for Proxy.Net's resolver: give it to <see cref="ProxyResolver.Create(ProxyNetOptions, IProxyAutoConfig)"/>,
/// or register it with <c>services.AddProxyNet(...).AddPac()</c>. One instance keeps one script per PAC URL, its
/// refresh and its engines; share it.
/// </summary>
/// <example>
/// <code>
/// using var pac = new ProxyAutoConfig();
/// var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = "http://wpad.corp/proxy.pac" }, pac);
/// Console.WriteLine(resolver.Resolve(new Uri("https://example.com/")));
/// </code>
/// </example>
public sealed class ProxyAutoConfig : IProxyAutoConfig, IDisposable
{
    private readonly PacOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CachingHostResolver _dns;
    private readonly PacFetcher _fetcher;
    private readonly ConcurrentDictionary<string, PacLoader> _loaders = new(StringComparer.Ordinal);

    /// <summary>Creates an engine with default limits, the machine's DNS and the system clock.</summary>
    public ProxyAutoConfig()
        : this(null)
    {
    }

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Limits and timings; null for the defaults.</param>
    /// <param name="hostResolver">DNS for the helpers; null for the machine's resolver.</param>
    /// <param name="time">The clock of <c>new Date()</c> and the time helpers, and of refreshes; null for the system clock.</param>
    /// <param name="logger">Receives <c>alert()</c>, loads and failed refreshes; null for none.</param>
    public ProxyAutoConfig(PacOptions? options, IPacHostResolver? hostResolver = null, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options ?? new PacOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _dns = CachingHostResolver.Over(hostResolver, _options, _time);
        _fetcher = new PacFetcher(_options);
    }

    /// <inheritdoc />
    public IProxyAutoConfigScript Load(string pacUrl) => Load(pacUrl, null);

    /// <inheritdoc />
    public IProxyAutoConfigScript Load(string pacUrl, RemoteCertificateValidationCallback? originValidation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pacUrl);
        return Loader(pacUrl, originValidation).Get();
    }

    /// <inheritdoc />
    public void Prepare(string pacUrl, RemoteCertificateValidationCallback? originValidation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pacUrl);
        Loader(pacUrl, originValidation).Start();
    }

    private PacLoader Loader(string pacUrl, RemoteCertificateValidationCallback? originValidation)
    {
        var loader = _loaders.GetOrAdd(pacUrl, url => new PacLoader(url, CompileAsync, _options, _time, _logger));

        // The latest configuration's trust applies to the next fetch of this URL (first load or refresh).
        if (!ReferenceEquals(loader.OriginValidation, originValidation))
        {
            loader.OriginValidation = originValidation;
        }

        return loader;
    }

    /// <summary>
    /// Fetches every script in use again now (as on a configuration reload); a failure keeps the last good script.
    /// </summary>
    public void Refresh()
    {
        foreach (var loader in _loaders.Values)
        {
            loader.Refresh();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _fetcher.Dispose();

    /// <summary>Compiles a script given as text, for tests and tools (<c>doctor</c>) that hold the source already.</summary>
    internal PacScript Compile(string pacUrl, string text) =>
        PacScript.Compile(text, new PacRuntime(PacFetcher.Display(pacUrl), _options, _time, new PacNatives(_dns, _logger, PacFetcher.Display(pacUrl))));

    private async Task<PacScript> CompileAsync(string pacUrl, RemoteCertificateValidationCallback? originValidation) =>
        Compile(pacUrl, await _fetcher.FetchAsync(pacUrl, originValidation).ConfigureAwait(false));
}
