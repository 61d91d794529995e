using System.Net;

namespace ProxyNet.Http;

/// <summary>
/// The proxies <see cref="ProxyNetWebProxy.InstallAsDefault"/> has put in <see cref="HttpClient.DefaultProxy"/>, newest
/// last, so that handles may be disposed in any order: the default is always the newest install still standing, or
/// the default from before the first one.
/// </summary>
/// <remarks>
/// Process-wide on purpose: it mirrors <see cref="HttpClient.DefaultProxy"/>, which is itself one per process. A
/// default set by other code since the newest install is theirs, and is left alone.
/// </remarks>
internal static class DefaultProxyStack
{
    private static readonly object Gate = new();
    private static readonly List<Entry> Installs = [];
    private static IWebProxy? _original;

    /// <summary>Makes <paramref name="proxy"/> the default until the returned handle is disposed.</summary>
    public static IDisposable Push(IWebProxy proxy)
    {
        var entry = new Entry(proxy);
        lock (Gate)
        {
            if (Installs.Count == 0)
            {
                _original = HttpClient.DefaultProxy;
            }

            Installs.Add(entry);
            HttpClient.DefaultProxy = proxy;
        }

        return entry;
    }

    private static void Remove(Entry entry)
    {
        lock (Gate)
        {
            int at = Installs.IndexOf(entry);
            if (at < 0)
            {
                return;
            }

            bool ours = ReferenceEquals(HttpClient.DefaultProxy, Installs[^1].Proxy);
            Installs.RemoveAt(at);
            if (ours)
            {
                HttpClient.DefaultProxy = Installs.Count > 0 ? Installs[^1].Proxy : _original!;
            }

            if (Installs.Count == 0)
            {
                _original = null;
            }
        }
    }

    /// <summary>One install; a reference type so that two installs of the same proxy are two entries.</summary>
    private sealed class Entry(IWebProxy proxy) : IDisposable
    {
        public IWebProxy Proxy { get; } = proxy;

        /// <summary>Removes this install (once; later calls do nothing).</summary>
        public void Dispose() => Remove(this);
    }
}
