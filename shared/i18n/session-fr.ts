/** French strings of identities and sessions (see session-en.ts). */
import type { SessionMessageKey } from './session-en';

export const sessionFr: Record<SessionMessageKey, string> = {
  'role.viewer': 'Observateur',
  'role.operator': 'Opérateur',
  'role.oncall': 'Astreinte',
  'role.service-manager': 'Responsable de service',
  'role.sla-admin': 'Administrateur SLA',
  'role.publisher': 'Éditeur',
  'role.admin': 'Administrateur',

  'capability.view': 'Consulter la vue d’ensemble et les alarmes',
  'capability.view.infrastructure': 'Consulter les équipements, les métriques et les tableaux de bord',
  'capability.alarms.act': 'Agir sur les alarmes',
  'capability.handover.write': 'Passer la relève',
  'capability.maintenance.write': 'Planifier et supprimer des fenêtres de maintenance',
  'capability.dashboards.write': 'Modifier les tableaux de bord',
  'capability.diagnostics.run': 'Lancer des diagnostics et confirmer les clés d’hôte',
  'capability.estate.drill': 'Lancer un exercice',
  'capability.audit.read': 'Consulter le journal d’audit',
  'capability.secrets.manage': 'Gérer les secrets',
  'capability.users.manage': 'Gérer les personnes et les rôles',
  'capability.failover.request': 'Demander une bascule',
  'capability.failover.approve': 'Approuver une bascule',
  'capability.notices.publish': 'Publier des avis',
  'capability.sla.administer': 'Administrer le catalogue SLA',
  'capability.reports.review': 'Relire les rapports',

  'access.signInFirst':
    '{what}\u00a0: il faut une personne connectée, ce poste consulte sans session. Connectez-vous d’abord.',
  'access.needsRole': '{what}\u00a0: il faut le rôle {roles}, que vous n’avez pas.',

  'session.roles': 'Rôles\u00a0: {roles}',
  'session.noRole': 'aucun',
  'session.anonymous': 'Non connecté',
  'session.signIn': 'Se connecter',
  'session.signOut': 'Se déconnecter',
  'session.lock': 'Verrouiller',
  'session.lockFailed': 'Le poste n’a pas pu être verrouillé.',
  'session.signOutFailed': 'La déconnexion a échoué.',
  'session.menu': 'Session de {name}',

  'signIn.title': 'Connexion à Vigie',
  'signIn.intro': 'Cette console n’affiche rien tant qu’une personne ne s’est pas connectée.',
  'signIn.login': 'Identifiant',
  'signIn.password': 'Mot de passe',
  'signIn.totp': 'Code à six chiffres',
  'signIn.totpHint': 'Le code que votre application d’authentification affiche pour Vigie.',
  'signIn.submit': 'Se connecter',
  'signIn.working': 'Connexion…',
  'signIn.close': 'Fermer le formulaire de connexion',
  'signIn.expired': 'Votre session a pris fin (expirée, ou fermée ailleurs). Reconnectez-vous.',
  'signIn.failed': 'La connexion a échoué.',
  'signIn.noMethod':
    'Aucun moyen de connexion n’est configuré sur ce moteur. Adressez-vous à un administrateur.',
  'signIn.or': 'ou',
  'signIn.sso': 'Se connecter par authentification unique',
  'signIn.ssoWaiting':
    'En attente du fournisseur d’identité\u00a0: terminez la connexion sur la page qui s’est ouverte.',
  'signIn.ssoLink': 'Ouvrir la page de connexion',
  'signIn.ssoCancel': 'Ne plus attendre',
  'signIn.ssoFailed': 'L’authentification unique a échoué.',
  'signIn.ssoUnavailable': 'L’authentification unique n’est pas configurée sur ce moteur.',
  'signIn.checking': 'Vérification de la session…',

  'auth.reason.SIGN_IN_REQUIRED': 'Connectez-vous d’abord.',
  'auth.reason.BAD_CREDENTIALS': 'Identifiant ou mot de passe incorrect.',
  'auth.reason.TOTP_REQUIRED': 'Saisissez le code à six chiffres de votre application d’authentification.',
  'auth.reason.BAD_TOTP': 'Code incorrect. Un code change toutes les 30 secondes et ne sert qu’une fois.',
  'auth.reason.LOCKED_OUT':
    'Trop d’essais infructueux\u00a0: ce compte est bloqué pour un moment. Réessayez plus tard.',
  'auth.reason.DISABLED': 'Ce compte est désactivé. Adressez-vous à un administrateur.',
  'auth.reason.SESSION_EXPIRED': 'Votre session a pris fin. Reconnectez-vous.',
  'auth.reason.SEAT_LOCKED': 'Ce poste est verrouillé.',

  'lock.title': 'Poste verrouillé',
  'lock.intro':
    'Verrouillé par {name}. Rien n’est affiché tant que cette personne ne le déverrouille pas avec son mot de passe.',
  'lock.password': 'Mot de passe',
  'lock.unlock': 'Déverrouiller',
  'lock.working': 'Déverrouillage…',
  'lock.failed': 'Le déverrouillage a échoué.',
  'lock.signOut': 'Se déconnecter (une autre personne pourra se connecter)',

  'shortcut.signIn': 'Se connecter (en consultation sans session)',
  'shortcut.lock': 'Verrouiller le poste',
  'shortcut.account': 'Mon compte (mot de passe, connexion en deux étapes)',

  'account.open': 'Mon compte',
  'account.title': 'Mon compte',
  'account.close': 'Fermer mon compte',
  'account.who': '{name} (identifiant {login})',
  'account.oidc':
    "Vous vous connectez par le fournisseur d'identité de votre organisation (authentification unique) : votre mot de passe et votre connexion en deux étapes y sont gérés, pas dans Vigie.",
  'account.machine':
    "Cette session est celle de la ligne de commande du moteur : elle n'a ni mot de passe ni second facteur à modifier.",
  'account.password.title': 'Changer de mot de passe',
  'account.password.current': 'Mot de passe actuel',
  'account.password.next': 'Nouveau mot de passe',
  'account.password.nextHint':
    'Une longue phrase de passe est idéale ; si Vigie en refuse une, il dit pourquoi.',
  'account.password.repeat': 'Nouveau mot de passe, à nouveau',
  'account.password.submit': 'Changer de mot de passe',
  'account.password.working': 'Changement…',
  'account.password.needCurrent': 'Tapez votre mot de passe actuel.',
  'account.password.needNext': 'Tapez un nouveau mot de passe.',
  'account.password.mismatch': "Les deux nouveaux mots de passe diffèrent. Rien n'a été envoyé.",
  'account.password.wrongCurrent':
    "Ce n'est pas votre mot de passe actuel. Les essais manqués comptent pour le blocage de votre compte.",
  'account.password.weak': 'Vigie refuse ce nouveau mot de passe ({details}).',
  'account.password.failed': "Le mot de passe n'a pas pu être changé.",
  'account.password.cleared': 'Les champs ont été vidés par sécurité : tapez à nouveau les mots de passe.',
  'account.password.done':
    'Votre mot de passe est changé. Utilisez le nouveau dès votre prochaine connexion ou déverrouillage.',
  'account.totp.title': 'Connexion en deux étapes',
  'account.totp.intro':
    "Après votre mot de passe, Vigie demande alors un code à six chiffres d'une application d'authentification sur votre téléphone.",
  'account.totp.again':
    'Si la connexion en deux étapes est déjà active, la configurer à nouveau remplace sa clé dès que vous confirmez un code de la nouvelle.',
  'account.totp.start': 'Configurer',
  'account.totp.starting': 'Préparation…',
  'account.totp.noQr':
    "Dans votre application d'authentification, ajoutez un compte et tapez cette clé à la main (ou donnez-lui le lien ci-dessous si elle l'accepte).",
  'account.totp.secret': 'Clé',
  'account.totp.uri': 'Lien de configuration',
  'account.totp.copy': 'Copier le lien',
  'account.totp.copied': 'Lien copié.',
  'account.totp.copyFailed': 'Copie impossible : sélectionnez le lien et copiez-le.',
  'account.totp.once':
    "Cette clé n'est montrée que maintenant. Qui la détient peut produire vos codes : ne la partagez pas et ne la gardez pas par écrit.",
  'account.totp.code': "Premier code à six chiffres de l'application",
  'account.totp.confirm': 'Confirmer',
  'account.totp.confirming': 'Vérification…',
  'account.totp.cancel': 'Annuler',
  'account.totp.badCode':
    "Code erroné. Vérifiez l'heure du téléphone ; un code change toutes les 30 secondes.",
  'account.totp.expired': 'Cette configuration a expiré ou a été remplacée. Recommencez.',
  'account.totp.failed': "La connexion en deux étapes n'a pas pu être configurée.",
  'account.totp.done':
    'La connexion en deux étapes est active. Désormais, la connexion et le déverrouillage demandent un code de votre application après votre mot de passe.',
};
