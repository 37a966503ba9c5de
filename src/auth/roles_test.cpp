#include "auth/roles.h"

#include <gtest/gtest.h>

namespace sanad::auth {
namespace {

TEST(Roles, RoundTripEveryRoleName) {
  EXPECT_EQ(AllRoles().size(), 12u);  // 11 staff roles and partner_system for the DCI API
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Roles, GiveTheNationalAnalystAggregatesButNoPersonalRecords) {
  Role analyst[] = {Role::kNationalAnalyst};
  EXPECT_TRUE(Grants(analyst, Permission::kAggregatesRead));
  EXPECT_FALSE(Grants(analyst, Permission::kRegistryRead));
  EXPECT_FALSE(Grants(analyst, Permission::kAuditRead));
}

// Programme rules and parameters hold no personal data: administrators and national analysts edit them.
TEST(Roles, LetAdministratorsAndNationalAnalystsManageProgrammes) {
  for (Role r : AllRoles()) {
    Role one[] = {r};
    EXPECT_EQ(Grants(one, Permission::kProgrammesManage), r == Role::kAdmin || r == Role::kNationalAnalyst)
        << RoleName(r);
  }
}

TEST(Roles, GiveTheAuditLogOnlyToAuditorsAndAdmins) {
  for (Role r : AllRoles()) {
    Role one[] = {r};
    EXPECT_EQ(Grants(one, Permission::kAuditRead), r == Role::kAuditor || r == Role::kAdmin) << RoleName(r);
  }
}

TEST(Roles, DenyEverythingButPublicToAnAccountWithoutRoles) {
  std::span<const Role> none;
  EXPECT_TRUE(Grants(none, Permission::kPublic));
  EXPECT_FALSE(Grants(none, Permission::kAuthenticated));
  EXPECT_FALSE(Grants(none, Permission::kAreasRead));
}

TEST(Roles, GiveProgrammeCyclesToPaymentOfficersAndAdminsAndTheirFiguresToCoordinators) {
  for (Role r : AllRoles()) {
    Role one[] = {r};
    const bool officer = r == Role::kPaymentOfficer || r == Role::kAdmin;
    EXPECT_EQ(Grants(one, Permission::kCyclesManage), officer) << RoleName(r);
    EXPECT_EQ(Grants(one, Permission::kCyclesApprove), officer) << RoleName(r);
    EXPECT_EQ(Grants(one, Permission::kCyclesRead), officer || r == Role::kRegionalCoordinator) << RoleName(r);
  }
}

// Women's files are personal data: staff of the area read them (coordinators, social workers, committee
// members who score and decide); coordinators and admins write notes; analysts see figures only.
TEST(Roles, GiveEmpowermentFilesToAreaStaffAndNotesToCoordinators) {
  for (Role r : AllRoles()) {
    Role one[] = {r};
    const bool manage = r == Role::kAdmin || r == Role::kRegionalCoordinator;
    EXPECT_EQ(Grants(one, Permission::kEmpowermentManage), manage) << RoleName(r);
    EXPECT_EQ(Grants(one, Permission::kEmpowermentRead),
              manage || r == Role::kSocialWorker || r == Role::kCommitteeMember)
        << RoleName(r);
    // Reviewers' scores and committee decisions: committee members (and admins), never the coordinators who
    // manage the calls and pay the tranches (the two sides of one decision are different people).
    EXPECT_EQ(Grants(one, Permission::kEmpowermentCommittee), r == Role::kAdmin || r == Role::kCommitteeMember)
        << RoleName(r);
  }
}

}  // namespace
}  // namespace sanad::auth
