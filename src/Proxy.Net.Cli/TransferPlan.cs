using System.Globalization;

namespace ProxyNet.Cli;

/// <summary>What a get/put command line asks for, checked before anything is configured or sent.</summary>
internal sealed record TransferPlan(Uri Url, string Method, string? Output, double Seconds, int MaxRedirects)
{
    /// <exception cref="UsageException">The line asks for something that cannot be done; nothing has been touched.</exception>
    public static TransferPlan From(TransferRequest request)
    {
        string? upload = request.Upload;
        bool put = upload is not null;
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "ftp"))
        {
            throw new UsageException(put ? "put needs a FILE and one ftp://, http:// or https:// URL" : "get needs one http://, https:// or ftp:// URL");
        }

        if (upload is not null && !File.Exists(upload))
        {
            throw new UsageException($"put: no such file '{upload}'");
        }

        double seconds = 100;
        if (request.Timeout is { } timeoutText && (!double.TryParse(timeoutText, CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
        {
            throw new UsageException($"--timeout needs a positive number of seconds, not '{timeoutText}'");
        }

        int maxRedirects = 50;
        if (request.MaxRedirects is { } redirectsText && (!int.TryParse(redirectsText, NumberStyles.None, CultureInfo.InvariantCulture, out maxRedirects) || maxRedirects > 1000))
        {
            throw new UsageException($"--max-redirs needs a number of redirects from 0 to 1000, not '{redirectsText}'");
        }

        string method = request.Method?.Trim().ToUpperInvariant() ?? (request.Head ? "HEAD" : put ? "PUT" : "GET");
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            throw new UsageException($"-X needs a method such as GET, DELETE or POST, not '{request.Method}'");
        }

        if (request.Head && method != "HEAD")
        {
            throw new UsageException($"-I sends HEAD; it cannot be combined with -X {method}");
        }

        if (url.Scheme == "ftp" && method != (put ? "PUT" : request.Head ? "HEAD" : "GET"))
        {
            throw new UsageException($"-X {method}: an ftp:// URL is read with get (RETR), its size asked with get -I, and written with put (STOR)");
        }

        string? output = request.Output;
        if (request.RemoteName)
        {
            output = output is null ? RemoteName(url) : throw new UsageException("-O names the file after the URL and -o names it: give one of them");
        }

        return new TransferPlan(url, method, output, seconds, maxRedirects);
    }

    /// <summary>curl's <c>-O</c>: the URL's last path segment, decoded, as a file name in the current folder.</summary>
    private static string RemoteName(Uri url)
    {
        string name = Path.GetFileName(Uri.UnescapeDataString(url.AbsolutePath).Replace('\\', '/'));
        if (name.Length == 0 || name is "." or ".." || name.Any(c => char.IsControl(c)))
        {
            throw new UsageException($"-O: the URL {ProxyNet.Configuration.UrlRedaction.Url(url)} names no file (its path ends in '/'); use -o FILE");
        }

        return name;
    }
}
