using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Tests;

public class PasswordRuleTests
{
    static readonly SecurityPolicy Default = new() { AccountId = "a" };

    [Theory]
    [InlineData("Short1!")]                          // too short
    [InlineData("alllowercaseletters")]              // one character class
    [InlineData("Has Space 123")]                    // space
    [InlineData("ThisIsWayTooLongForThePolicy1234567")] // longer than 32
    [InlineData("")]
    public void Weak_passwords_are_refused(string password)
    {
        var ex = Assert.Throws<ServiceException>(() => Passwords.Check(Default, password, "alice"));
        Assert.Equal("IAM.0105", ex.Error.Code);
    }

    [Fact]
    public void The_user_name_and_its_reverse_are_refused()
    {
        Assert.Throws<ServiceException>(() => Passwords.Check(Default, "Alice12345", "alice12345"));
        Assert.Throws<ServiceException>(() => Passwords.Check(Default, "54321ecila", "alice12345"));
    }

    [Fact]
    public void Character_class_combination_follows_the_policy()
    {
        var strict = new SecurityPolicy { AccountId = "a", PasswordCharCombination = 4 };
        Passwords.Check(Default, "abcdefgh12", "alice");
        Assert.Throws<ServiceException>(() => Passwords.Check(strict, "abcdefgh12", "alice"));
        Passwords.Check(strict, "Abcdefg#12", "alice");
    }

    [Fact]
    public void Consecutive_identical_characters_follow_the_policy()
    {
        var policy = new SecurityPolicy { AccountId = "a", MaximumConsecutiveIdenticalChars = 2 };
        Passwords.Check(policy, "aab#1234Cd", "alice");
        Assert.Throws<ServiceException>(() => Passwords.Check(policy, "aaab#123Cd", "alice"));
    }
}
