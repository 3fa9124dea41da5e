namespace PartnerCenter.Core.Iam;

/// <summary>The IAM actions an operation requires, named as Huawei Cloud IAM names them in policies.</summary>
public static class IamActions
{
    public const string CreateUser = "iam:users:createUser";
    public const string ListUsers = "iam:users:listUsers";
    public const string GetUser = "iam:users:getUser";
    public const string UpdateUser = "iam:users:updateUser";
    public const string DeleteUser = "iam:users:deleteUser";
    public const string CreateGroup = "iam:groups:createGroup";
    public const string ListGroups = "iam:groups:listGroups";
    public const string GetGroup = "iam:groups:getGroup";
    public const string UpdateGroup = "iam:groups:updateGroup";
    public const string DeleteGroup = "iam:groups:deleteGroup";
    public const string AddUserToGroup = "iam:groups:addUserToGroup";
    public const string RemoveUserFromGroup = "iam:groups:removeUserFromGroup";
    public const string CheckUserInGroup = "iam:groups:checkUserInGroup";
    public const string ListUsersForGroup = "iam:users:listUsersForGroup";
    public const string ListGroupsForUser = "iam:groups:listGroupsForUser";
    public const string ListRoles = "iam:roles:listRoles";
    public const string GetRole = "iam:roles:getRole";
    public const string CreateRole = "iam:roles:createRole";
    public const string UpdateRole = "iam:roles:updateRole";
    public const string DeleteRole = "iam:roles:deleteRole";
    public const string GrantRole = "iam:permissions:grantRoleToGroup";
    public const string RevokeRole = "iam:permissions:revokeRoleFromGroup";
    public const string ListGroupRoles = "iam:permissions:listRolesForGroup";
    public const string CheckGroupRole = "iam:permissions:checkRoleForGroup";
    public const string CreateCredential = "iam:credentials:createCredential";
    public const string ListCredentials = "iam:credentials:listCredentials";
    public const string GetCredential = "iam:credentials:getCredential";
    public const string UpdateCredential = "iam:credentials:updateCredential";
    public const string DeleteCredential = "iam:credentials:deleteCredential";
    public const string CreateAgency = "iam:agencies:createAgency";
    public const string ListAgencies = "iam:agencies:listAgencies";
    public const string GetAgency = "iam:agencies:getAgency";
    public const string UpdateAgency = "iam:agencies:updateAgency";
    public const string DeleteAgency = "iam:agencies:deleteAgency";
    public const string GrantAgencyRole = "iam:permissions:grantRoleToAgency";
    public const string RevokeAgencyRole = "iam:permissions:revokeRoleFromAgency";
    public const string ListAgencyRoles = "iam:permissions:listRolesForAgency";
    public const string AssumeAgency = "iam:agencies:assume";
    public const string ListProjects = "iam:projects:listProjects";
    public const string GetProject = "iam:projects:getProject";
    public const string GetSecurityPolicy = "iam:securitypolicies:getPasswordPolicy";
    public const string UpdateSecurityPolicy = "iam:securitypolicies:updatePasswordPolicy";
    public const string GetLoginPolicy = "iam:securitypolicies:getLoginPolicy";
    public const string UpdateLoginPolicy = "iam:securitypolicies:updateLoginPolicy";
}
