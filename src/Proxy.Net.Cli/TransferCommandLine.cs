using System.CommandLine;

namespace ProxyNet.Cli;

/// <summary>
/// The command lines of <c>get</c> and <c>put</c>: proxynet's own flags, and the curl flags a curl user types with the
/// meaning curl gives them (<c>-x -U -k -H -I -i -L -s -S -f -X -u -p -m -O</c>). curl flags without an equivalent are
/// answered by <see cref="CurlFlags"/> before the command runs.
/// </summary>
internal static class TransferCommandLine
{
    public static Command Create(TextWriter stderr, bool put)
    {
        var command = new Command(
            put ? "put" : "get",
            put
                ? "upload FILE (ftp STOR, http PUT) through the same route as the library; curl's flags where they apply"
                : "download a URL (http, https, ftp) through the same route as the library; speaks curl's common flags "
                  + "(-x -U -k -H -I -i -L -s -S -f -X -u -p -m -o -O); does not follow redirects without -L, as curl");
        var file = new Argument<string>("FILE") { Description = "the file to upload" };
        var url = new Argument<string>("URL") { Description = put ? "ftp://, http:// or https:// target" : "http://, https:// or ftp:// URL" };
        var output = new Option<string>("--output", "-o") { Description = "write the body to FILE (via FILE.part, renamed when complete); stdout otherwise", HelpName = "FILE" };
        var remoteName = new Option<bool>("--remote-name", "-O") { Description = "write the body to the file named by the URL's last path segment, in the current folder" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "print the route, the request's method and -H headers (>), the status, the response headers (<) and the byte count on stderr; secrets masked" };
        var timeout = new Option<string>("--timeout", "-m", "--max-time") { Description = "give up after this many seconds for the whole transfer, connection included (default 100)", HelpName = "SECONDS" };
        var proxyUser = new Option<string>("--proxy-user", "-U") { Description = "the proxy login, over the user information of the proxy's URL; ':' logs in as the current user (Kerberos/NTLM). Never printed", HelpName = "USER:PASSWORD" };
        var proxyInsecure = new Option<bool>("--proxy-insecure") { Description = "accept any HTTPS proxy certificate (origin trust unchanged); prints a warning" };
        var user = new Option<string>("--user", "-u") { Description = "the origin's login: Basic for http(s) (dropped on a redirect to another host), USER/PASS for ftp. Never printed", HelpName = "USER:PASSWORD" };
        var header = new Option<string[]>("--header", "-H") { Description = "send this request header (repeatable); 'Name:' removes it, 'Name;' sends it empty", HelpName = "\"NAME: VALUE\"" };
        var method = new Option<string>("--request", "-X") { Description = put ? "the method instead of PUT (e.g. POST), the FILE its body" : "the method instead of GET (no body; use put -X POST FILE URL to send one)", HelpName = "METHOD" };
        var head = new Option<bool>("--head", "-I") { Description = "send HEAD and print the status line and headers (as curl -I)" };
        var include = new Option<bool>("--include", "-i") { Description = "print the status line and headers before the body" };
        var location = new Option<bool>("--location", "-L") { Description = "follow redirects (routing each hop again); without it a redirect is printed, not followed, and exits 0, as curl" };
        var maxRedirects = new Option<string>("--max-redirs") { Description = "with -L, the most redirects followed (default 50)", HelpName = "N" };
        var silent = new Option<bool>("--silent", "-s") { Description = "no progress bar, warnings, redirect notes or failure line (the exit code still tells; the accept-any-certificate warning stays)" };
        var showError = new Option<bool>("--show-error", "-S") { Description = "with -s, print the failure line all the same" };
        var fail = new Option<bool>("--fail", "-f") { Description = "exit 22 (curl's code) instead of 3 when the HTTP status is 400 or more; no body is written either way" };
        var tunnel = new Option<bool>("--proxytunnel", "-p") { Description = "reach http:// origins through an http proxy by CONNECT too, not by absolute-form requests" };
        var configuration = new ConfigurationOptions();
        configuration.AddCurlSpellings();
        if (put)
        {
            command.Add(file);
        }

        command.Add(url);
        if (!put)
        {
            command.Add(output);
            command.Add(remoteName);
        }

        command.Add(verbose);
        command.Add(timeout);
        configuration.AddTo(command);
        command.Add(proxyUser);
        command.Add(proxyInsecure);
        command.Add(user);
        command.Add(header);
        command.Add(method);
        if (!put)
        {
            command.Add(head);
        }

        command.Add(include);
        command.Add(location);
        command.Add(maxRedirects);
        command.Add(silent);
        command.Add(showError);
        command.Add(fail);
        command.Add(tunnel);
        command.SetAction((result, cancellation) => TransferCommand.RunAsync(
            new TransferRequest(
                put ? result.GetValue(file) : null,
                result.GetValue(url)!,
                put ? null : result.GetValue(output),
                result.GetValue(verbose),
                result.GetValue(timeout),
                configuration.Read(result) with { ProxyUser = result.GetValue(proxyUser), ProxyInsecure = result.GetValue(proxyInsecure) })
            {
                Headers = result.GetValue(header) ?? [],
                Method = result.GetValue(method),
                Head = !put && result.GetValue(head),
                Include = result.GetValue(include),
                Location = result.GetValue(location),
                MaxRedirects = result.GetValue(maxRedirects),
                Silent = result.GetValue(silent),
                ShowError = result.GetValue(showError),
                Fail = result.GetValue(fail),
                RemoteName = !put && result.GetValue(remoteName),
                ProxyTunnel = result.GetValue(tunnel),
                User = result.GetValue(user),
            },
            stderr));
        return command;
    }
}
