# Generated from ui/preferences.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'preferences.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QLabel, QSizePolicy, QSpacerItem, QSpinBox,
    QVBoxLayout, QWidget)

class Ui_PreferencesDialog(object):
    def setupUi(self, PreferencesDialog):
        if not PreferencesDialog.objectName():
            PreferencesDialog.setObjectName(u"PreferencesDialog")
        PreferencesDialog.resize(460, 344)
        self.mainLayout = QVBoxLayout(PreferencesDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.appearanceGroup = QGroupBox(PreferencesDialog)
        self.appearanceGroup.setObjectName(u"appearanceGroup")
        self.appearanceForm = QFormLayout(self.appearanceGroup)
        self.appearanceForm.setObjectName(u"appearanceForm")
        self.appearanceForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.colorSchemeLabel = QLabel(self.appearanceGroup)
        self.colorSchemeLabel.setObjectName(u"colorSchemeLabel")

        self.appearanceForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.colorSchemeLabel)

        self.colorScheme = QComboBox(self.appearanceGroup)
        self.colorScheme.setObjectName(u"colorScheme")

        self.appearanceForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.colorScheme)


        self.mainLayout.addWidget(self.appearanceGroup)

        self.notificationsGroup = QGroupBox(PreferencesDialog)
        self.notificationsGroup.setObjectName(u"notificationsGroup")
        self.notificationsLayout = QVBoxLayout(self.notificationsGroup)
        self.notificationsLayout.setObjectName(u"notificationsLayout")
        self.notifyCaseAssigned = QCheckBox(self.notificationsGroup)
        self.notifyCaseAssigned.setObjectName(u"notifyCaseAssigned")

        self.notificationsLayout.addWidget(self.notifyCaseAssigned)

        self.notifyHandoffToAcknowledge = QCheckBox(self.notificationsGroup)
        self.notifyHandoffToAcknowledge.setObjectName(u"notifyHandoffToAcknowledge")

        self.notificationsLayout.addWidget(self.notifyHandoffToAcknowledge)

        self.notifyQuestionForMe = QCheckBox(self.notificationsGroup)
        self.notifyQuestionForMe.setObjectName(u"notifyQuestionForMe")

        self.notificationsLayout.addWidget(self.notifyQuestionForMe)

        self.notifyDeadlineAtRisk = QCheckBox(self.notificationsGroup)
        self.notifyDeadlineAtRisk.setObjectName(u"notifyDeadlineAtRisk")

        self.notificationsLayout.addWidget(self.notifyDeadlineAtRisk)


        self.mainLayout.addWidget(self.notificationsGroup)

        self.draftsGroup = QGroupBox(PreferencesDialog)
        self.draftsGroup.setObjectName(u"draftsGroup")
        self.draftsForm = QFormLayout(self.draftsGroup)
        self.draftsForm.setObjectName(u"draftsForm")
        self.draftsForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.autosaveLabel = QLabel(self.draftsGroup)
        self.autosaveLabel.setObjectName(u"autosaveLabel")

        self.draftsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.autosaveLabel)

        self.autosaveSeconds = QSpinBox(self.draftsGroup)
        self.autosaveSeconds.setObjectName(u"autosaveSeconds")
        self.autosaveSeconds.setMinimum(1)
        self.autosaveSeconds.setMaximum(60)
        self.autosaveSeconds.setValue(2)

        self.draftsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.autosaveSeconds)


        self.mainLayout.addWidget(self.draftsGroup)

        self.message = QLabel(PreferencesDialog)
        self.message.setObjectName(u"message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.mainLayout.addWidget(self.message)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.spacer)

        self.buttons = QDialogButtonBox(PreferencesDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.colorSchemeLabel.setBuddy(self.colorScheme)
        self.autosaveLabel.setBuddy(self.autosaveSeconds)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.colorScheme, self.notifyCaseAssigned)
        QWidget.setTabOrder(self.notifyCaseAssigned, self.notifyHandoffToAcknowledge)
        QWidget.setTabOrder(self.notifyHandoffToAcknowledge, self.notifyQuestionForMe)
        QWidget.setTabOrder(self.notifyQuestionForMe, self.notifyDeadlineAtRisk)
        QWidget.setTabOrder(self.notifyDeadlineAtRisk, self.autosaveSeconds)
        QWidget.setTabOrder(self.autosaveSeconds, self.buttons)

        self.retranslateUi(PreferencesDialog)

        QMetaObject.connectSlotsByName(PreferencesDialog)
    # setupUi

    def retranslateUi(self, PreferencesDialog):
        PreferencesDialog.setWindowTitle(QCoreApplication.translate("PreferencesDialog", u"Preferences", None))
#if QT_CONFIG(accessibility)
        PreferencesDialog.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Preferences", None))
#endif // QT_CONFIG(accessibility)
        self.appearanceGroup.setTitle(QCoreApplication.translate("PreferencesDialog", u"Appearance", None))
#if QT_CONFIG(accessibility)
        self.appearanceGroup.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Appearance", None))
#endif // QT_CONFIG(accessibility)
        self.colorSchemeLabel.setText(QCoreApplication.translate("PreferencesDialog", u"Colour &scheme:", None))
#if QT_CONFIG(accessibility)
        self.colorScheme.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Colour scheme", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.colorScheme.setToolTip(QCoreApplication.translate("PreferencesDialog", u"Light or dark windows; \u201cFollow the system\u201d changes with your computer's setting", None))
#endif // QT_CONFIG(tooltip)
        self.notificationsGroup.setTitle(QCoreApplication.translate("PreferencesDialog", u"Notify me when", None))
#if QT_CONFIG(accessibility)
        self.notificationsGroup.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Notify me when", None))
#endif // QT_CONFIG(accessibility)
        self.notifyCaseAssigned.setText(QCoreApplication.translate("PreferencesDialog", u"A case is &assigned to me", None))
#if QT_CONFIG(accessibility)
        self.notifyCaseAssigned.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Notify me when a case is assigned to me", None))
#endif // QT_CONFIG(accessibility)
        self.notifyHandoffToAcknowledge.setText(QCoreApplication.translate("PreferencesDialog", u"A &handoff is waiting for my acknowledgement", None))
#if QT_CONFIG(accessibility)
        self.notifyHandoffToAcknowledge.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Notify me when a handoff is waiting for my acknowledgement", None))
#endif // QT_CONFIG(accessibility)
        self.notifyQuestionForMe.setText(QCoreApplication.translate("PreferencesDialog", u"Someone asks me a &question about a handoff", None))
#if QT_CONFIG(accessibility)
        self.notifyQuestionForMe.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Notify me when someone asks me a question about a handoff", None))
#endif // QT_CONFIG(accessibility)
        self.notifyDeadlineAtRisk.setText(QCoreApplication.translate("PreferencesDialog", u"A commitment or an SLA is about to be &missed", None))
#if QT_CONFIG(accessibility)
        self.notifyDeadlineAtRisk.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Notify me when a commitment or an SLA is about to be missed", None))
#endif // QT_CONFIG(accessibility)
        self.draftsGroup.setTitle(QCoreApplication.translate("PreferencesDialog", u"Handoff notes", None))
#if QT_CONFIG(accessibility)
        self.draftsGroup.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Handoff notes", None))
#endif // QT_CONFIG(accessibility)
        self.autosaveLabel.setText(QCoreApplication.translate("PreferencesDialog", u"Save &drafts every:", None))
#if QT_CONFIG(accessibility)
        self.autosaveSeconds.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Save handoff drafts every (seconds)", None))
#endif // QT_CONFIG(accessibility)
        self.autosaveSeconds.setSuffix(QCoreApplication.translate("PreferencesDialog", u" s", None))
#if QT_CONFIG(accessibility)
        self.message.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Preferences message", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.buttons.setAccessibleName(QCoreApplication.translate("PreferencesDialog", u"Dialog buttons", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

