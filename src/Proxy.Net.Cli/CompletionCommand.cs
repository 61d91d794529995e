using System.CommandLine;

namespace ProxyNet.Cli;

/// <summary>
/// <c>proxynet completion bash|zsh|pwsh</c>: prints a script that asks proxynet itself for completions through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive, so they always match the installed version.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # proxynet completion for bash: eval "$(proxynet completion bash)"
        _proxynet_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE#* }"
            local position=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
            COMPREPLY=( $(compgen -W "$(proxynet "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _proxynet_complete proxynet
        """;

    private const string Zsh = """
        # proxynet completion for zsh: eval "$(proxynet completion zsh)"
        _proxynet_complete() {
            local line="${BUFFER#* }"
            local position=$((CURSOR - ${#BUFFER} + ${#line}))
            local -a items
            items=("${(@f)$(proxynet "[suggest:${position}]" "${line}" 2>/dev/null)}")
            compadd -a items
        }
        compdef _proxynet_complete proxynet
        """;

    private const string Pwsh = """
        # proxynet completion for PowerShell: proxynet completion pwsh | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName proxynet -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.ToString()
            $space = $line.IndexOf(' ')
            $rest = if ($space -lt 0) { '' } else { $line.Substring($space + 1) }
            $position = [Math]::Max(0, $cursorPosition - $commandAst.Extent.StartOffset - $space - 1)
            proxynet "[suggest:$position]" "$rest" | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create(TextWriter stdout)
    {
        var command = new Command("completion", "print a shell completion script: eval \"$(proxynet completion bash)\"");
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        command.Add(shell);
        command.SetAction(result =>
        {
            stdout.WriteLine(result.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return 0;
        });
        return command;
    }
}
