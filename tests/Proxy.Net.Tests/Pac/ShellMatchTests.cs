using ProxyNet.Pac;

namespace ProxyNet.Tests.Pac;

/// <summary>shExpMatch's glob against the regular expression browsers build from the pattern (the old definition).</summary>
public sealed class ShellMatchTests
{
    [Theory]
    [InlineData("www.example.com", "*.example.com", true)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("a.b.c", "a.?.c", true)]
    [InlineData("a.bb.c", "a.?.c", false)]
    [InlineData("abc", "***", true)]
    [InlineData("", "*", true)]
    [InlineData("", "?", false)]
    [InlineData("x+y(z)", "x+y(z)", true)]
    [InlineData("xxy", "x+y", false)]
    [InlineData("Example.com", "example.com", false)]
    [InlineData("http://host/path?q=1", "http://host/*", true)]
    [InlineData("aaab", "*a*b", true)]
    [InlineData("mississippi", "m*iss*ppi", true)]
    [InlineData("mississippi", "m*iss*ppx", false)]
    [InlineData("a\nb", "a*b", false)]
    [InlineData("a\nb", "a?b", false)]
    public void Matches_as_the_browser_regular_expression_would(string text, string pattern, bool expected) =>
        Assert.Equal(expected, PacNatives.ShellMatch(text, pattern));

    [Fact]
    public void Agrees_with_the_regular_expression_on_random_inputs()
    {
        var random = new Random(42);
        const string alphabet = "ab.*?";
        for (int i = 0; i < 20000; i++)
        {
            string text = new([.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => "ab."[random.Next(3)])]);
            string pattern = new([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            string regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
            Assert.True(
                System.Text.RegularExpressions.Regex.IsMatch(text, regex) == PacNatives.ShellMatch(text, pattern),
                $"'{text}' ~ '{pattern}'");
        }
    }
}
