using CsCheck;

namespace SkillForge.Agent.Tests;

/// <summary>CsCheck generators shared by the property tests.</summary>
internal static class Generators
{
    /// <summary>Any UTF-16 text without lone surrogates (they cannot be stored as UTF-8 anyway): quotes, colons, newlines, accents, emoji.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
            (6, Gen.Char[" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]),
            (2, Gen.Char[":\"'\\#-—*`|>{}[]&!%@,.?\n\r\t"]),
            (1, Gen.Char['\u00a0', '\ud7ff']))
        .Array[0, 60].Select(chars => new string(chars));

    public static Gen<string> TextOfLength(int min, int max) =>
        Gen.Char[" abcdefghijklmnopqrstuvwxyz:\"'\\#é漢"].Array[min, max].Select(chars => new string(chars));

    /// <summary>Valid skill names: kebab-case words, starting with a letter, within 64 characters.</summary>
    public static readonly Gen<string> KebabName = Gen.Select(
            Gen.Char['a', 'z'],
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[0, 10].Select(c => new string(c)),
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, 8].Select(c => new string(c)).List[0, 4])
        .Select((first, rest, words) => string.Join('-', [first + rest, .. words]))
        .Where(name => name.Length <= 64);
}
