using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Tests;

public class PolicyDocumentTests
{
    static PolicyDocument Doc(string statements) => PolicyDocument.Parse($$"""{"Version":"1.1","Statement":[{{statements}}]}""");

    [Theory]
    [InlineData("iam:users:*", "iam:users:createUser", true)]
    [InlineData("iam:*:*", "iam:groups:deleteGroup", true)]
    [InlineData("*:*:get*", "iam:users:getUser", true)]
    [InlineData("*:*:get*", "iam:users:createUser", false)]
    [InlineData("IAM:Users:CreateUser", "iam:users:createUser", true)]
    [InlineData("iam:users:?etUser", "iam:users:getUser", true)]
    [InlineData("bss:*:*", "iam:users:getUser", false)]
    public void Action_patterns_match_case_insensitively_with_wildcards(string pattern, string action, bool matches) =>
        Assert.Equal(matches, PolicyDocument.Matches(pattern, action));

    [Fact]
    public void Explicit_deny_wins_over_any_allow()
    {
        var allow = Doc("""{"Effect":"Allow","Action":["*:*:*"]}""");
        var deny = Doc("""{"Effect":"Deny","Action":["iam:users:deleteUser"]}""");
        Assert.Equal(Decision.ExplicitDeny, PolicyDocument.Combine([allow, deny], "iam:users:deleteUser"));
        Assert.Equal(Decision.Allow, PolicyDocument.Combine([allow, deny], "iam:users:createUser"));
    }

    [Fact]
    public void No_matching_allow_is_an_implicit_deny() =>
        Assert.Equal(Decision.ImplicitDeny, PolicyDocument.Combine([Doc("""{"Effect":"Allow","Action":["bss:*:*"]}""")], "iam:users:createUser"));

    [Fact]
    public void NotAction_allows_everything_but_the_listed_actions()
    {
        var doc = Doc("""{"Effect":"Allow","NotAction":["iam:*:*"]}""");
        Assert.Equal(Decision.Allow, doc.Evaluate("bss:customers:list"));
        Assert.Equal(Decision.ImplicitDeny, doc.Evaluate("iam:users:createUser"));
    }

    [Fact]
    public void A_conditional_allow_never_allows_but_a_conditional_deny_denies()
    {
        var allow = Doc("""{"Effect":"Allow","Action":["iam:*:*"],"Condition":{"StringEquals":{"g:UserName":["x"]}}}""");
        var deny = Doc("""{"Effect":"Deny","Action":["iam:*:*"],"Condition":{"StringEquals":{"g:UserName":["x"]}}}""");
        Assert.Equal(Decision.ImplicitDeny, allow.Evaluate("iam:users:getUser"));
        Assert.Equal(Decision.ExplicitDeny, deny.Evaluate("iam:users:getUser"));
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":["a:b:c"]}]}""")]
    [InlineData("""{"Version":"2.0","Statement":[{"Effect":"Allow","Action":["a:b:c"]}]}""")]
    [InlineData("""{"Version":"1.1","Statement":[]}""")]
    [InlineData("""{"Version":"1.1","Statement":[{"Effect":"Maybe","Action":["a:b:c"]}]}""")]
    [InlineData("""{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["not-an-action"]}]}""")]
    [InlineData("""{"Version":"1.1","Statement":[{"Effect":"Allow","Action":"a:b:c"}]}""")]
    [InlineData("""{"Version":"1.1","Statement":[{"Effect":"Allow"}]}""")]
    [InlineData("""[1,2]""")]
    public void Malformed_policies_are_rejected_with_a_reason(string json)
    {
        var ex = Assert.Throws<ServiceException>(() => PolicyDocument.Parse(json));
        Assert.Equal(ErrorKind.Validation, ex.Error.Kind);
        Assert.StartsWith("Invalid policy", ex.Error.Message);
    }

    [Fact]
    public void Every_system_role_parses()
    {
        foreach (var role in SystemRoles.All) PolicyDocument.Parse(role.PolicyJson);
    }

    [Fact]
    public void Tenant_administrator_excludes_iam_and_security_administrator_is_only_iam()
    {
        var te = PolicyDocument.Parse(SystemRoles.TenantAdministrator.PolicyJson);
        var secu = PolicyDocument.Parse(SystemRoles.SecurityAdministrator.PolicyJson);
        Assert.Equal(Decision.ImplicitDeny, te.Evaluate(IamActions.CreateUser));
        Assert.Equal(Decision.Allow, te.Evaluate("bss:customers:list"));
        Assert.Equal(Decision.Allow, secu.Evaluate(IamActions.CreateUser));
        Assert.Equal(Decision.ImplicitDeny, secu.Evaluate("bss:customers:list"));
    }
}
