using System.CommandLine;
using System.Net;
using ProxyNet.Drivers;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet drivers --driver snowflake|databricks|odbc HOST [--serve ADDR:PORT] [--token-file FILE] [--show-password]</c>:
/// the proxy keys of a driver that takes one fixed proxy, from HOST's route (<see cref="DriverProxySettings"/>). Stdout
/// is the fragment to use: serve's when the route needs it, the proxy's otherwise; stderr says why and names the
/// NO_PROXY entries the driver cannot carry. Passwords are masked unless --show-password.
/// </summary>
internal static class DriversCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("drivers", "the proxy keys for a driver that takes one fixed proxy (Snowflake, Databricks ADBC, ODBC DSNs), from HOST's route");
        var host = new Argument<string>("HOST") { Description = "the host the driver connects to (acme.snowflakecomputing.com), or an absolute URL" };
        var driver = new Option<string>("--driver") { Description = "snowflake (Snowflake.Data), databricks (ADBC adbc.proxy_options.*) or odbc (Simba Spark/Databricks ODBC)", HelpName = "snowflake|databricks|odbc", Required = true };
        driver.AcceptOnlyFromAmong("snowflake", "databricks", "odbc");
        var serve = new Option<string>("--serve") { Description = "where proxynet serve listens, for a route the driver cannot take itself (default 127.0.0.1:3128)", HelpName = "ADDR:PORT" };
        var tokenFile = new Option<string>("--token-file") { Description = "serve's token file (default $XDG_RUNTIME_DIR/proxynet/token or ~/.config/proxynet/token)", HelpName = "FILE" };
        var showPassword = new Option<bool>("--show-password") { Description = "print the proxy password (or serve's token) instead of ***" };
        var config = new Option<string>("--config") { Description = "JSON file with a top-level \"Proxy\" object (beats Proxy__* variables)", HelpName = "FILE" };
        var pac = ConfigurationOptions.PacOption();
        command.Add(host);
        command.Add(driver);
        command.Add(serve);
        command.Add(tokenFile);
        command.Add(showPassword);
        command.Add(config);
        command.Add(pac);
        command.SetAction(result => Run(
            result.GetValue(host)!,
            result.GetValue(driver)!,
            result.GetValue(serve),
            result.GetValue(tokenFile),
            result.GetValue(showPassword),
            new CliFlags(result.GetValue(config), Pac: result.GetValue(pac)),
            stdout,
            stderr));
        return command;
    }

    public static int Run(string host, string driverName, string? serve, string? tokenFile, bool showPassword, CliFlags flags, TextWriter stdout, TextWriter stderr)
    {
        var driver = driverName switch
        {
            "snowflake" => ProxyDriver.Snowflake,
            "databricks" => ProxyDriver.DatabricksAdbc,
            "odbc" => ProxyDriver.Odbc,
            _ => throw new UsageException($"--driver '{driverName}' is not snowflake, databricks or odbc"),
        };
        var serveEndPoint = ServeCommand.ParseEndPoint(serve ?? "127.0.0.1:3128", "--serve");
        var resolver = CliConfiguration.Load(flags).Resolver;
        DriverProxySettings settings;
        try
        {
            settings = DriverProxySettings.For(resolver, driver, host);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        stderr.WriteLine($"proxynet drivers: route for {settings.Url.IdnHost}: {Terminal.Safe(settings.Route.ToString())}");
        foreach (string warning in settings.Warnings)
        {
            stderr.WriteLine($"proxynet drivers: warning: {Terminal.Safe(warning)}");
        }

        var shown = settings;
        if (settings.ServeRecommended)
        {
            foreach (string reason in settings.ServeReasons)
            {
                stderr.WriteLine($"proxynet drivers: use proxynet serve: {Terminal.Safe(reason)}");
            }

            if (settings.Values.Count > 0)
            {
                stderr.WriteLine($"proxynet drivers: without serve: {Terminal.Safe(settings.ToString())}");
            }

            string path = tokenFile ?? TokenFile.DefaultPath();
            string? token = TokenFile.Read(path);
            if (token is null)
            {
                stderr.WriteLine($"proxynet drivers: warning: no token in {path} (mode 0600): the keys carry none, which only a serve started with --no-client-auth accepts");
            }

            stderr.WriteLine($"proxynet drivers: the keys below point at proxynet serve on {serveEndPoint} (start it with: proxynet serve --listen {serveEndPoint})");
            shown = settings.ThroughServe(serveEndPoint, token);
        }

        stdout.WriteLine(showPassword ? shown.ToConnectionString() : Terminal.Safe(shown.ToString()));
        return 0;
    }
}
