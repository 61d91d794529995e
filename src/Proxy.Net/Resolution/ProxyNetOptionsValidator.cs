using Microsoft.Extensions.Options;

namespace ProxyNet.Resolution;

/// <summary>
/// Validates a <c>Proxy</c> configuration at start-up and on every reload: values that cannot be read, proxy
/// settings that do not parse, trust material that cannot be loaded. Every error is listed at once, each naming its
/// key (<c>Proxy:Enabled: 'no' is not a boolean (true or false)</c>). Environment variables are not judged here: a bad
/// one stays a per-request configuration error, as the resolution contract says.
/// </summary>
internal sealed class ProxyNetOptionsValidator(IEnumerable<IProxyAutoConfig> pac) : IValidateOptions<ProxyNetOptions>
{
    private readonly IProxyAutoConfig? _pac = pac.LastOrDefault();


    public ValidateOptionsResult Validate(string? name, ProxyNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = ProxySettings.Compile(options, static _ => null, _pac, null).Errors;
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
