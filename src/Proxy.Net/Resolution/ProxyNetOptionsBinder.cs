using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ProxyNet.Resolution;

/// <summary>
/// Reads a <c>Proxy</c> section by hand: <c>ExcludedDomains</c> may be a string, an array, or an array of
/// comma-separated strings, which the configuration binder cannot express. Keys are case-insensitive, so
/// CARTO's camelCase (<c>excludedDomains</c>) and .NET's <c>Proxy__Host</c> variables bind alike. A value that
/// cannot be read (<c>Enabled: "no"</c>, <c>Port: "abc"</c>) is recorded in
/// <see cref="ProxyNetOptions.BindingErrors"/> naming its key: an error, never a silent default.
/// </summary>
internal static class ProxyNetOptionsBinder
{
    public static void Bind(IConfiguration section, ProxyNetOptions options)
    {
        var errors = options.BindingErrors;
        errors.Clear();
        options.WrittenKeys.Clear();
        options.Tls.WrittenKeys.Clear();
        Record(section, options.WrittenKeys);
        bool? Bool(IConfiguration from, string key) => ProxyNetOptionsBinder.Bool(from, key, errors);
        options.Enabled = Bool(section, nameof(ProxyNetOptions.Enabled)) ?? options.Enabled;
        options.Host = String(section, nameof(ProxyNetOptions.Host)) ?? options.Host;
        options.Type = String(section, nameof(ProxyNetOptions.Type)) ?? options.Type;
        options.HttpProxy = String(section, nameof(ProxyNetOptions.HttpProxy)) ?? options.HttpProxy;
        options.HttpsProxy = String(section, nameof(ProxyNetOptions.HttpsProxy)) ?? options.HttpsProxy;
        options.FtpProxy = String(section, nameof(ProxyNetOptions.FtpProxy)) ?? options.FtpProxy;
        options.GrpcProxy = String(section, nameof(ProxyNetOptions.GrpcProxy)) ?? options.GrpcProxy;
        options.AllProxy = String(section, nameof(ProxyNetOptions.AllProxy)) ?? options.AllProxy;
        options.Username = String(section, nameof(ProxyNetOptions.Username)) ?? options.Username;
        options.Password = String(section, nameof(ProxyNetOptions.Password)) ?? options.Password;
        options.PacUrl = String(section, nameof(ProxyNetOptions.PacUrl)) ?? options.PacUrl;
        options.UseEnvironment = Bool(section, nameof(ProxyNetOptions.UseEnvironment)) ?? options.UseEnvironment;
        options.AutoDetect = Bool(section, nameof(ProxyNetOptions.AutoDetect)) ?? options.AutoDetect;
        options.UseSystemProxy = Bool(section, nameof(ProxyNetOptions.UseSystemProxy)) ?? options.UseSystemProxy;
        options.BypassLoopback = Bool(section, nameof(ProxyNetOptions.BypassLoopback)) ?? options.BypassLoopback;
        options.BypassCloudMetadata = Bool(section, nameof(ProxyNetOptions.BypassCloudMetadata)) ?? options.BypassCloudMetadata;
        options.UseDefaultCredentials = Bool(section, nameof(ProxyNetOptions.UseDefaultCredentials)) ?? options.UseDefaultCredentials;
        options.PreemptiveBasic = Bool(section, nameof(ProxyNetOptions.PreemptiveBasic)) ?? options.PreemptiveBasic;
        if (String(section, nameof(ProxyNetOptions.AuthSchemes)) is { } schemes)
        {
            // "Negotiate, Digest": names of ProxyAuthSchemes, any case; a misspelt one is an error, never "all".
            if (Enum.TryParse<ProxyAuthSchemes>(schemes, ignoreCase: true, out var parsed) && !schemes.Any(char.IsAsciiDigit))
            {
                options.AuthSchemes = parsed;
            }
            else
            {
                errors.Add($"{KeyOf(section, nameof(ProxyNetOptions.AuthSchemes))}: '{schemes}' is not a list of Negotiate, Ntlm, Digest, Basic, All, None");
            }
        }

        string? port = String(section, nameof(ProxyNetOptions.Port));
        if (port is not null)
        {
            // A port that is not a number must fail loudly, not fall back to the default port.
            if (int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                options.Port = value;
            }
            else
            {
                errors.Add($"{KeyOf(section, nameof(ProxyNetOptions.Port))}: '{port}' is not a number");
            }
        }

        foreach (var header in section.GetSection(nameof(ProxyNetOptions.ProxyHeaders)).GetChildren())
        {
            options.ProxyHeaders[header.Key] = header.Value ?? string.Empty;
        }

        var allowed = Strings(section.GetSection(nameof(ProxyNetOptions.AllowedDirect))).ToList();
        if (allowed.Count > 0)
        {
            options.AllowedDirect = allowed;
        }

        var loginHosts = Strings(section.GetSection(nameof(ProxyNetOptions.LoginHosts))).ToList();
        if (loginHosts.Count > 0)
        {
            options.LoginHosts = loginHosts;
        }

        var tls = section.GetSection("Tls");
        if (tls.Exists())
        {
            Record(tls, options.Tls.WrittenKeys);
            var origin = Strings(tls.GetSection(nameof(Tls.ProxyTlsOptions.OriginCaCertificates))).ToList();
            var proxy = Strings(tls.GetSection(nameof(Tls.ProxyTlsOptions.ProxyCaCertificates))).ToList();
            options.Tls.OriginCaCertificates = origin.Count > 0 ? origin : options.Tls.OriginCaCertificates;
            options.Tls.ProxyCaCertificates = proxy.Count > 0 ? proxy : options.Tls.ProxyCaCertificates;
            options.Tls.ReplaceSystemTrust = Bool(tls, nameof(Tls.ProxyTlsOptions.ReplaceSystemTrust)) ?? options.Tls.ReplaceSystemTrust;
            options.Tls.UseEnvironmentCaBundles = Bool(tls, nameof(Tls.ProxyTlsOptions.UseEnvironmentCaBundles)) ?? options.Tls.UseEnvironmentCaBundles;
            options.Tls.DangerousAcceptAnyServerCertificate = Bool(tls, nameof(Tls.ProxyTlsOptions.DangerousAcceptAnyServerCertificate)) ?? options.Tls.DangerousAcceptAnyServerCertificate;
            options.Tls.DangerousAcceptAnyProxyCertificate = Bool(tls, nameof(Tls.ProxyTlsOptions.DangerousAcceptAnyProxyCertificate)) ?? options.Tls.DangerousAcceptAnyProxyCertificate;
        }

        // CARTO's names, kept as configuration aliases: SslCA is the proxy's CA, SslRejectUnauthorized: false accepts
        // any proxy certificate.
        if (String(section, "SslCA") is { } ca)
        {
            options.Tls.WrittenKeys.TryAdd(nameof(Tls.ProxyTlsOptions.ProxyCaCertificates), options.KeyOf("SslCA"));
            options.Tls.ProxyCaCertificates = [.. options.Tls.ProxyCaCertificates, ca];
        }

        if (Bool(section, "SslRejectUnauthorized") == false)
        {
            options.Tls.WrittenKeys.TryAdd(nameof(Tls.ProxyTlsOptions.DangerousAcceptAnyProxyCertificate), options.KeyOf("SslRejectUnauthorized"));
            options.Tls.DangerousAcceptAnyProxyCertificate = true;
        }

        if (!options.WrittenKeys.ContainsKey(nameof(ProxyNetOptions.ExcludedDomains)) && options.WrittenKeys.TryGetValue("NoProxy", out string? noProxy))
        {
            options.WrittenKeys[nameof(ProxyNetOptions.ExcludedDomains)] = noProxy;
        }

        var excluded = Strings(section.GetSection(nameof(ProxyNetOptions.ExcludedDomains)))
            .Concat(Strings(section.GetSection("NoProxy")))
            .ToList();
        if (excluded.Count > 0)
        {
            options.ExcludedDomains = excluded;
        }
    }

    private static string? String(IConfiguration section, string key)
    {
        string? value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static bool? Bool(IConfiguration section, string key, List<string> errors)
    {
        if (String(section, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        errors.Add($"{KeyOf(section, key)}: '{text}' is not a boolean (true or false)");
        return null;
    }

    private static string KeyOf(IConfiguration section, string key)
    {
        var written = section.GetChildren().FirstOrDefault(c => c.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
        return written is not null ? written.Path : section is IConfigurationSection { Path: { Length: > 0 } path } ? $"{path}:{key}" : key;
    }

    /// <summary>Each key of <paramref name="section"/> as written, with its path, so that errors name what the user wrote.</summary>
    private static void Record(IConfiguration section, Dictionary<string, string> keys)
    {
        foreach (var child in section.GetChildren())
        {
            keys.TryAdd(child.Key, child.Path);
        }
    }

    /// <summary>A string or an array of strings; blank ones (an empty JSON array binds as "") are left out.</summary>
    private static IEnumerable<string> Strings(IConfigurationSection section) =>
        (section.Value is { } single ? [single] : section.GetChildren().Select(child => child.Value).OfType<string>())
            .Where(value => !string.IsNullOrWhiteSpace(value));
}
