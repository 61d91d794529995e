using System.Globalization;

namespace ProxyNet;

/// <summary>Host names as Proxy.Net compares them: IDN to punycode, lower case, labels checked.</summary>
internal static class HostNames
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    /// <summary>
    /// <see cref="Uri.IdnHost"/>, or false for a host that <see cref="Uri"/> accepted but cannot convert
    /// (a zero-width joiner, a label ending in '-'): such a URL gets an error decision, never an exception.
    /// </summary>
    public static bool TryGetIdnHost(Uri uri, out string host)
    {
        try
        {
            host = uri.IdnHost;
            return true;
        }
        catch (UriFormatException)
        {
            host = uri.Host;
            return false;
        }
    }

    /// <summary>The ASCII, lower-case form of <paramref name="host"/>, or false with the reason.</summary>
    public static bool TryNormalize(string host, out string ascii, out string? problem)
    {
        ascii = host;
        problem = null;
        if (host.Length == 0)
        {
            problem = "empty host name";
            return false;
        }

        if (!host.All(char.IsAscii))
        {
            try
            {
                ascii = Idn.GetAscii(host);
            }
            catch (ArgumentException)
            {
                problem = $"'{host}' is not a valid international domain name";
                return false;
            }
        }

        foreach (string label in ascii.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                problem = label.Contains('*')
                    ? "a wildcard is allowed only as '*' alone or as a leading '*.'"
                    : $"'{host}' is not a valid host name";
                return false;
            }
        }

        ascii = ascii.ToLowerInvariant();
        return true;
    }
}
