#include "auth/roles.h"

#include <algorithm>
#include <array>

namespace sanad::auth {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 12> kRoleNames{{
    {Role::kAdmin, "admin"},
    {Role::kNationalAnalyst, "national_analyst"},
    {Role::kRegionalCoordinator, "regional_coordinator"},
    {Role::kSocialWorker, "social_worker"},
    {Role::kCounselor, "counselor"},
    {Role::kMobileUnit, "mobile_unit"},
    {Role::kInstitutionManager, "institution_manager"},
    {Role::kCommitteeMember, "committee_member"},
    {Role::kDataEntry, "data_entry"},
    {Role::kPaymentOfficer, "payment_officer"},
    {Role::kAuditor, "auditor"},
    {Role::kPartnerSystem, "partner_system"},
}};

constexpr std::array<Role, 12> kAll{Role::kAdmin,
                                    Role::kNationalAnalyst,
                                    Role::kRegionalCoordinator,
                                    Role::kSocialWorker,
                                    Role::kCounselor,
                                    Role::kMobileUnit,
                                    Role::kInstitutionManager,
                                    Role::kCommitteeMember,
                                    Role::kDataEntry,
                                    Role::kPaymentOfficer,
                                    Role::kAuditor,
                                    Role::kPartnerSystem};

// The permission matrix. A permission absent from a role's list is denied.
std::span<const Permission> PermissionsOf(Role r) {
  using P = Permission;
  static constexpr P admin[] = {P::kAreasRead,           P::kAuditRead,
                                P::kUsersManage,         P::kRegistryRead,
                                P::kRegistryPropose,     P::kRegistryApprove,
                                P::kRegistryImport,      P::kRegistryExport,
                                P::kAggregatesRead,      P::kLinkageReview,
                                P::kPartnerSearch,       P::kBenefitsRecord,
                                P::kProgrammesManage,    P::kCyclesRead,
                                P::kCyclesManage,        P::kCyclesApprove,
                                P::kPaymentsManage,      P::kEmpowermentRead,
                                P::kEmpowermentManage,   P::kMicrocreditRead,
                                P::kMicrocreditManage,   P::kMicrocreditCommittee,
                                P::kReportsIntake,       P::kReportsTriage,
                                P::kReportsOverdue,      P::kEServicesManage,
                                P::kAffiliationRead,     P::kAffiliationRecord,
                                P::kAffiliationReview,   P::kCasesRead,
                                P::kCasesWork,           P::kCasesSupervise,
                                P::kCounsellingRead,     P::kCounsellingBook,
                                P::kCounsellingSession,  P::kCounsellingManage,
                                P::kGrievancesRead,      P::kGrievancesFile,
                                P::kGrievancesDecide,    P::kGrievancesManage,
                                P::kEmpowermentCommittee};
  // Programme rules and parameters hold no personal data: national analysts write them.
  static constexpr P analyst[] = {P::kAreasRead, P::kAggregatesRead, P::kProgrammesManage};
  static constexpr P coordinator[] = {
      P::kAreasRead,       P::kRegistryRead,      P::kRegistryPropose,   P::kRegistryApprove,   P::kRegistryExport,
      P::kAggregatesRead,  P::kLinkageReview,     P::kCyclesRead,        P::kEmpowermentRead,   P::kEmpowermentManage,
      P::kMicrocreditRead, P::kMicrocreditManage, P::kReportsIntake,     P::kReportsTriage,     P::kReportsOverdue,
      P::kAffiliationRead, P::kAffiliationRecord, P::kAffiliationReview, P::kCasesRead,         P::kCasesWork,
      P::kCasesSupervise,  P::kCounsellingRead,   P::kCounsellingBook,   P::kCounsellingManage, P::kGrievancesRead,
      P::kGrievancesFile,  P::kGrievancesDecide};
  static constexpr P social_worker[] = {
      P::kAreasRead,         P::kRegistryRead,  P::kRegistryPropose, P::kEmpowermentRead, P::kMicrocreditRead,
      P::kMicrocreditManage, P::kReportsIntake, P::kReportsTriage,   P::kAffiliationRead, P::kAffiliationRecord,
      P::kCasesRead,         P::kCasesWork,     P::kGrievancesRead,  P::kGrievancesFile};
  static constexpr P counselor[] = {P::kAreasRead,       P::kReportsTriage,   P::kCasesRead,         P::kCasesWork,
                                    P::kCounsellingRead, P::kCounsellingBook, P::kCounsellingSession};
  static constexpr P mobile_unit[] = {P::kAreasRead, P::kReportsTriage, P::kCasesRead, P::kCasesWork};
  static constexpr P institution_manager[] = {P::kAreasRead};
  // Committees read the files they score and decide on (in their area).
  static constexpr P committee_member[] = {P::kAreasRead, P::kEmpowermentRead, P::kMicrocreditRead,
                                           P::kMicrocreditCommittee, P::kEmpowermentCommittee};
  static constexpr P data_entry[] = {
      P::kAreasRead,         P::kRegistryRead,  P::kRegistryPropose, P::kRegistryImport,    P::kMicrocreditRead,
      P::kMicrocreditManage, P::kReportsIntake, P::kAffiliationRead, P::kAffiliationRecord, P::kGrievancesFile};
  static constexpr P payment_officer[] = {P::kAreasRead,    P::kRegistryRead,  P::kBenefitsRecord, P::kCyclesRead,
                                          P::kCyclesManage, P::kCyclesApprove, P::kPaymentsManage};
  static constexpr P auditor[] = {P::kAreasRead, P::kAuditRead};
  static constexpr P partner_system[] = {P::kAreasRead, P::kPartnerSearch};
  switch (r) {
    case Role::kAdmin:
      return admin;
    case Role::kNationalAnalyst:
      return analyst;
    case Role::kRegionalCoordinator:
      return coordinator;
    case Role::kSocialWorker:
      return social_worker;
    case Role::kCounselor:
      return counselor;
    case Role::kMobileUnit:
      return mobile_unit;
    case Role::kInstitutionManager:
      return institution_manager;
    case Role::kCommitteeMember:
      return committee_member;
    case Role::kDataEntry:
      return data_entry;
    case Role::kPaymentOfficer:
      return payment_officer;
    case Role::kAuditor:
      return auditor;
    case Role::kPartnerSystem:
      return partner_system;
  }
  return {};
}

}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoleNames) {
    if (role == r) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, n] : kRoleNames) {
    if (n == name) return role;
  }
  return std::nullopt;
}

std::span<const Role> AllRoles() { return kAll; }

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kPublic:
      return "public";
    case Permission::kAuthenticated:
      return "authenticated";
    case Permission::kAreasRead:
      return "areas.read";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kUsersManage:
      return "users.manage";
    case Permission::kRegistryRead:
      return "registry.read";
    case Permission::kRegistryPropose:
      return "registry.propose";
    case Permission::kRegistryApprove:
      return "registry.approve";
    case Permission::kRegistryImport:
      return "registry.import";
    case Permission::kRegistryExport:
      return "registry.export";
    case Permission::kAggregatesRead:
      return "aggregates.read";
    case Permission::kLinkageReview:
      return "linkage.review";
    case Permission::kPartnerSearch:
      return "partner.search";
    case Permission::kBenefitsRecord:
      return "benefits.record";
    case Permission::kProgrammesManage:
      return "programmes.manage";
    case Permission::kCyclesRead:
      return "cycles.read";
    case Permission::kCyclesManage:
      return "cycles.manage";
    case Permission::kCyclesApprove:
      return "cycles.approve";
    case Permission::kPaymentsManage:
      return "payments.manage";
    case Permission::kEmpowermentRead:
      return "empowerment.read";
    case Permission::kEmpowermentManage:
      return "empowerment.manage";
    case Permission::kEmpowermentCommittee:
      return "empowerment.committee";
    case Permission::kMicrocreditRead:
      return "microcredit.read";
    case Permission::kMicrocreditManage:
      return "microcredit.manage";
    case Permission::kMicrocreditCommittee:
      return "microcredit.committee";
    case Permission::kReportsIntake:
      return "reports.intake";
    case Permission::kReportsTriage:
      return "reports.triage";
    case Permission::kReportsOverdue:
      return "reports.overdue";
    case Permission::kEServicesManage:
      return "eservices.manage";
    case Permission::kAffiliationRead:
      return "affiliation.read";
    case Permission::kAffiliationRecord:
      return "affiliation.record";
    case Permission::kAffiliationReview:
      return "affiliation.review";
    case Permission::kCasesRead:
      return "cases.read";
    case Permission::kCasesWork:
      return "cases.work";
    case Permission::kCasesSupervise:
      return "cases.supervise";
    case Permission::kCounsellingRead:
      return "counselling.read";
    case Permission::kCounsellingBook:
      return "counselling.book";
    case Permission::kCounsellingSession:
      return "counselling.session";
    case Permission::kCounsellingManage:
      return "counselling.manage";
    case Permission::kGrievancesRead:
      return "grievances.read";
    case Permission::kGrievancesFile:
      return "grievances.file";
    case Permission::kGrievancesDecide:
      return "grievances.decide";
    case Permission::kGrievancesManage:
      return "grievances.manage";
  }
  return "unknown";
}

bool Grants(std::span<const Role> roles, Permission p) {
  if (p == Permission::kPublic) return true;
  if (p == Permission::kAuthenticated) return !roles.empty();
  return std::any_of(roles.begin(), roles.end(), [p](Role r) {
    auto ps = PermissionsOf(r);
    return std::find(ps.begin(), ps.end(), p) != ps.end();
  });
}

}  // namespace sanad::auth
