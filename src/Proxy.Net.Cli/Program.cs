using System.CommandLine;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using System.Text;
using ProxyNet;
using ProxyNet.Cli;
using ProxyNet.Resolution;

Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var stdout = Console.Out;
var stderr = Console.Error;

try
{
    switch (args)
    {
        case ["--version" or "version"]:
            // Answered before the parser is built: a version check should cost nothing.
            string version = typeof(ProxyResolver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            stdout.WriteLine($"proxynet {version.Split('+')[0]}");
            return 0;
        case [] or ["help"]:
            args = ["--help"];
            break;
    }

    var root = Commands.Build(stdout, stderr);
    var parsed = root.Parse(args);
    if (parsed.Action is not Commands.HelpWithEpilogue && parsed.Errors.Count > 0)
    {
        // A curl flag that get and put lack: what to type instead, not "Unrecognized command or argument '-d'".
        if (CurlFlags.Explain(parsed, args) is { } curl)
        {
            stderr.WriteLine(Terminal.Safe(curl));
            stderr.WriteLine($"Run 'proxynet {parsed.CommandResult.Command.Name} --help' for usage.");
            return 2;
        }

        // "Required command was not provided" says less than "Unrecognized command or argument 'frobnicate'".
        var error = parsed.Errors.Count > 1 && parsed.Errors[0].Message.Contains("Required command", StringComparison.Ordinal) ? parsed.Errors[1] : parsed.Errors[0];
        stderr.WriteLine($"proxynet: {Terminal.Safe(error.Message)}");
        stderr.WriteLine($"Run 'proxynet {(parsed.CommandResult.Command == root ? string.Empty : parsed.CommandResult.Command.Name + " ")}--help' for usage.");
        return 2;
    }

    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr });
}
catch (UsageException e)
{
    stderr.WriteLine($"proxynet: {Terminal.Safe(e.Message)}");
    stderr.WriteLine("Run 'proxynet --help' for usage.");
    return 2;
}
catch (Exception e)
{
    // No stack trace reaches the user: one line, and the exit code of the failure's class.
    var (code, prefix) = e switch
    {
        ProxyConfigurationException or InvalidDataException or FormatException => (1, "configuration error: "),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => (2, string.Empty),
        OperationCanceledException => (TransferCommand.Timeout, string.Empty),
        HttpRequestException or IOException or SocketException or AuthenticationException => (TransferCommand.ConnectionError, string.Empty),
        _ => (1, "internal error: "),
    };
    stderr.WriteLine($"proxynet: {prefix}{Terminal.Safe(e.Message)}");
    return code;
}
